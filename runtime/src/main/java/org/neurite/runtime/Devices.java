package org.neurite.runtime;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The one place a device is chosen: {@code auto}, {@code cpu}, {@code cuda} or {@code cuda:N}.
 * {@code auto} falls back to the CPU and prints one line saying why; an explicit {@code cuda}
 * that cannot run is a {@link DeviceException}, never a silent fallback.
 */
public final class Devices {
    private Devices() { }

    public static Device select(String spec, PrintStream log) {
        String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("cpu")) return Device.CPU;
        if (s.equals("auto")) {
            CudaProbe.Result r = CudaProbe.probe();
            if (!r.usable()) {
                log.println("device: running on CPU (" + Parallel.threads() + " threads): " + r.reason());
                return Device.CPU;
            }
            throw new DeviceException("CUDA probe succeeded but this build has no CUDA engine");
        }
        if (s.equals("cuda") || s.matches("cuda:\\d+")) {
            CudaProbe.Result r = CudaProbe.probe();
            throw new DeviceException("--device " + spec + ": CUDA is not usable: " + r.reason());
        }
        throw new IllegalArgumentException("--device: unknown device '" + spec + "' (expected auto, cpu, cuda or cuda:N)");
    }
}
