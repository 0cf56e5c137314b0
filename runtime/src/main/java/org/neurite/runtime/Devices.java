package org.neurite.runtime;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place a device is chosen: {@code auto}, {@code cpu}, {@code cuda} or {@code cuda:N}.
 * {@code auto} falls back to the CPU and prints one line saying why; an explicit {@code cuda}
 * that cannot run is a {@link DeviceException}, never a silent fallback. {@code cpu} never probes,
 * so it never loads a native CUDA library.
 */
public final class Devices {
    private static final Pattern CUDA_SPEC = Pattern.compile("cuda(?::(\\d+))?");

    private Devices() { }

    /**
     * The device for {@code spec} (null means {@code auto}); {@code auto} prints its CPU fallback
     * line to {@code log}.
     *
     * @throws DeviceException          CUDA was asked for and cannot be used (one-line message)
     * @throws IllegalArgumentException {@code spec} is not a device name
     */
    public static Device select(String spec, PrintStream log) {
        return select(spec, log, CudaProbe::probe, Devices::openCuda);
    }

    /** {@link #select(String, PrintStream)} with the probe's answer supplied (for tests). */
    static Device select(String spec, PrintStream log, Supplier<CudaProbe.Result> probe) {
        return select(spec, log, probe, Devices::openCuda);
    }

    /**
     * {@link #select(String, PrintStream)} with the probe's answer and the CUDA device opener
     * supplied (for tests; the real opener is {@code CudaDevice.shared}).
     */
    static Device select(String spec, PrintStream log, Supplier<CudaProbe.Result> probe, IntFunction<Device> opener) {
        String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("cpu")) return Device.CPU;
        if (s.equals("auto")) {
            CudaProbe.Result r = probe.get();
            if (!r.usable()) {
                log.println("device: running on CPU (" + Parallel.threads() + " threads): " + r.reason());
                return Device.CPU;
            }
            return cuda(spec, 0, r, opener);
        }
        Matcher m = CUDA_SPEC.matcher(s);
        if (m.matches()) {
            CudaProbe.Result r = probe.get();
            if (!r.usable()) throw new DeviceException("--device " + spec + ": CUDA is not usable: " + r.reason());
            int index = m.group(1) == null ? 0 : parseIndex(spec, m.group(1));
            return cuda(spec, index, r, opener);
        }
        throw new IllegalArgumentException("--device: unknown device '" + spec + "' (expected auto, cpu, cuda or cuda:N)");
    }

    private static int parseIndex(String spec, String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE; // reported as out of range below
        }
    }

    private static Device cuda(String spec, int index, CudaProbe.Result r, IntFunction<Device> opener) {
        int n = r.deviceCount();
        if (index >= n) {
            throw new DeviceException("--device " + spec + ": no such CUDA device; this machine has " + n
                    + (n == 1 ? " (cuda:0)" : " (cuda:0 to cuda:" + (n - 1) + ")"));
        }
        return opener.apply(index);
    }

    // A method of its own, so that only a CUDA selection loads CudaDevice (and through it JCuda).
    private static Device openCuda(int index) {
        return org.neurite.runtime.cuda.CudaDevice.shared(index);
    }
}
