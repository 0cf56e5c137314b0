package org.neurite.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neurite.models.selftest.LayerParity;
import org.neurite.models.selftest.TrainingMathParity;
import org.neurite.models.selftest.LeNetTrainingCheck;
import org.neurite.runtime.CudaProbe;
import org.neurite.runtime.Device;
import org.neurite.runtime.Devices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code neurite selftest}: checks a device end to end. On a GPU, every layer family's forward,
 * dX, dW and db against the CPU engines (a table of max absolute and relative errors), LeNet-5's
 * weights after a few steps on both, and LeNet-5 trained on the GPU until its loss falls. On
 * {@code --device cpu} only the training check runs. Exit codes: 0 all passed, 1 a mismatch or a
 * loss that did not fall, 3 no usable GPU (one line says why).
 */
@Command(name = "selftest", mixinStandardHelpOptions = true,
        description = "Check the GPU engines against the CPU and train LeNet-5 on a device.",
        footer = {"", "Exit codes: 0 passed, 1 mismatch or no learning, 3 no usable GPU.", "",
                "Examples:", "  neurite selftest", "  neurite selftest --device cuda:1 --steps 300",
                "  neurite selftest --device cpu --steps 100"})
public final class SelftestCommand implements Callable<Integer> {
    /** Exit code when a GPU was asked for and none is usable. */
    public static final int NO_GPU = Neurite.EXIT_DEVICE;
    /** Steps of the CPU-against-device weight comparison (short: float differences grow with training). */
    static final int PARITY_STEPS = 5;

    @Spec CommandSpec spec;

    @Option(names = "--device", paramLabel = "DEV", defaultValue = "cuda",
            description = "cuda, cuda:N, auto or cpu (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "200",
            description = "LeNet-5 training steps for the loss check (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--tolerance", paramLabel = "TOL", defaultValue = "1e-3",
            description = "Largest |gpu - cpu| / max(1, max |cpu|) (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--cuda-libs", paramLabel = "DIR",
            description = "Folder with libcublasLt, libcublas and libcudnn (also: NEURITE_CUDA_LIBS).")
    Path cudaLibs;

    @Override public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (steps < 10) throw new UsageException("--steps must be at least 10, got " + steps);
        if (cudaLibs != null) CudaProbe.useLibraryDir(cudaLibs);
        String spec = device.trim().toLowerCase(Locale.ROOT);
        if (!spec.matches("cpu|auto|cuda(:\\d+)?")) {
            throw new UsageException("--device: unknown device '" + device + "' (expected auto, cpu, cuda or cuda:N)");
        }
        boolean cpuOnly = spec.equals("cpu");
        Device dev = Device.CPU;
        if (!cpuOnly) {
            CudaProbe.Result r = CudaProbe.probe();
            if (!r.usable()) {
                err.println("selftest: no usable GPU: " + r.reason());
                err.flush();
                return NO_GPU;
            }
            dev = Devices.select(device, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        }
        boolean ok = true;
        if (!cpuOnly) ok &= parity(dev, out);
        ok &= training(dev, out);
        out.println(ok ? "selftest on " + dev.name() + ": passed" : "selftest on " + dev.name() + ": FAILED");
        out.flush();
        return ok ? 0 : 1;
    }

    private boolean parity(Device dev, PrintWriter out) throws Exception {
        out.printf(Locale.ROOT, "%-26s %-14s %10s %10s%n", "layer", "tensor", "max abs", "max rel");
        boolean ok = true;
        for (LayerParity.Row r : LayerParity.run(dev, tolerance)) {
            out.println(r);
            ok &= r.ok();
        }
        for (LayerParity.Row r : TrainingMathParity.run(dev, tolerance)) {   // losses, optimizers, clipping
            out.println(r);
            ok &= r.ok();
        }
        LeNetTrainingCheck.Result cpu = LeNetTrainingCheck.train(Device.CPU, PARITY_STEPS, 7);
        LeNetTrainingCheck.Result gpu = LeNetTrainingCheck.train(dev, PARITY_STEPS, 7);
        List<float[]> a = cpu.weights(), b = gpu.weights();
        double worst = 0;
        for (int i = 0; i < a.size(); i++) {
            double scale = 1;
            for (float v : a.get(i)) scale = Math.max(scale, Math.abs(v));
            for (int j = 0; j < a.get(i).length; j++) {
                double d = Math.abs((double) a.get(i)[j] - b.get(i)[j]) / scale;
                worst = Double.isNaN(d) ? Double.NaN : Math.max(worst, d);
            }
        }
        boolean same = worst <= tolerance;
        out.printf(Locale.ROOT, "LeNet-5 weights after %d steps, cpu vs %s: max scaled error %.3e  %s%n",
                PARITY_STEPS, dev.name(), worst, same ? "ok" : "MISMATCH");
        return ok & same;
    }

    private boolean training(Device dev, PrintWriter out) throws Exception {
        LeNetTrainingCheck.Result r = LeNetTrainingCheck.train(dev, steps, 7);
        int k = Math.max(1, steps / 10);
        boolean fell = r.lossFell();
        out.printf(Locale.ROOT, "LeNet-5 on %s, %d steps: mean loss of the first %d steps %.4f, of the last %d %.4f  %s%n",
                dev.name(), steps, k, r.mean(0, k), k, r.mean(steps - k, steps), fell ? "ok" : "LOSS DID NOT FALL");
        return fell;
    }
}
