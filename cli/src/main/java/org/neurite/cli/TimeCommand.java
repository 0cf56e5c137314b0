package org.neurite.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neurite.layers.Module;
import org.neurite.models.report.LayerTimes;
import org.neurite.models.zoo.ModelZoo;
import org.neurite.runtime.Devices;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code neurite time}: Caffe's {@code caffe time}, forward and backward milliseconds per layer. */
@Command(name = "time", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time forward and backward passes layer by layer (caffe time).",
                "Random input of the model's shape; milliseconds averaged over timed iterations after warm-up ones."},
        footer = {"", "Examples:",
                "  neurite time --model lenet5",
                "  neurite time --model lenet5 --batch 256 --iterations 20 --threads 1"})
public final class TimeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, description = "Model name (see `neurite models`).")
    String model;

    @Option(names = "--batch", defaultValue = "64", description = "Batch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--iterations", defaultValue = "20", description = "Timed iterations. Default: ${DEFAULT-VALUE}.")
    int iterations;

    @Option(names = "--warmup", defaultValue = "20", description = "Untimed iterations first (JIT). Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, cuda or cuda:N. Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--threads", description = "CPU threads. Default: all cores.")
    Integer threads;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (batch <= 0) throw new UsageException("--batch must be positive, got " + batch);
        if (iterations <= 0) throw new UsageException("--iterations must be positive, got " + iterations);
        if (warmup < 0) throw new UsageException("--warmup must be 0 or more, got " + warmup);
        if (threads != null && threads <= 0) throw new UsageException("--threads must be positive, got " + threads);
        if (threads != null) Parallel.setThreads(threads);
        ModelZoo.Spec s = ModelZoo.get(model);
        Devices.select(device, new PrintStream(System.err, true));
        Module m = s.build(new Rng(1));
        List<LayerTimes.Row> rows = LayerTimes.measure(m, s.inputShape(), s.classes(), batch, warmup, iterations, 1);
        out.printf(Locale.ROOT, "# %s, batch %d, %d threads: mean of %d iterations after %d warm-up%n", model, batch, Parallel.threads(),
                iterations, warmup);
        out.printf(Locale.ROOT, "%-10s %-20s %-18s %11s %12s%n", "layer", "type", "output", "forward ms", "backward ms");
        double f = 0, b = 0;
        for (LayerTimes.Row r : rows) {
            out.printf(Locale.ROOT, "%-10s %-20s %-18s %11.3f %12.3f%n", r.name(), r.type(),
                    r.name().equals("loss") ? "" : r.output().toString().replace(" ", ""), r.forwardMs(), r.backwardMs());
            f += r.forwardMs();
            b += r.backwardMs();
        }
        out.printf(Locale.ROOT, "%-10s %-20s %-18s %11.3f %12.3f%n", "total", "", "", f, b);
        out.printf(Locale.ROOT, "forward+backward %.3f ms per batch of %d: %.0f images/s (no optimizer update)%n", f + b, batch,
                batch * 1000 / (f + b));
        out.flush();
        return 0;
    }
}
