package org.neurite.runtime.cuda;

import jcuda.Pointer;

/**
 * A JCuda {@link Pointer} at a plain device address, and the address of any pointer JCuda filled in
 * (e.g. by {@code cudaMalloc}). This is how the allocator's numeric addresses become arguments of
 * cuBLAS, cuDNN and kernel calls.
 */
public final class DevicePointer extends Pointer {
    private DevicePointer(long address) {
        super(address);
    }

    private DevicePointer(Pointer p) {
        super(p);
    }

    /** A pointer at {@code address}. */
    public static DevicePointer at(long address) {
        return new DevicePointer(address);
    }

    /** The address {@code p} points at (its native pointer plus its byte offset). */
    public static long addressOf(Pointer p) {
        DevicePointer d = new DevicePointer(p);
        return d.getNativePointer() + d.getByteOffset();
    }

    /** This pointer's address. */
    public long address() {
        return getNativePointer() + getByteOffset();
    }
}
