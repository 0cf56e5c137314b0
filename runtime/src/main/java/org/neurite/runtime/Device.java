package org.neurite.runtime;

/**
 * Where tensors live and ops run. The CPU device is always present; CUDA devices come from
 * {@link Devices#select(String, java.io.PrintStream)} after a successful probe.
 */
public interface Device {
    enum Kind { CPU, CUDA }

    Kind kind();

    /** "cpu" or "cuda:N". */
    String name();

    default boolean isCpu() { return kind() == Kind.CPU; }

    /** The one CPU device. */
    Device CPU = new Device() {
        @Override public Kind kind() { return Kind.CPU; }
        @Override public String name() { return "cpu"; }
        @Override public String toString() { return "cpu"; }
    };
}
