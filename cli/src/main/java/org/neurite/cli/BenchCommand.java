package org.neurite.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neurite.models.bench.W1LeNet;
import org.neurite.models.data.MnistDataset;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.gemm.GemmBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code neurite bench W1|W5}: the workloads of BENCHMARKS.md, printing one {@code W? name value}
 * line per figure (comment lines start with #), the format the PyTorch peer script prints too.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run a benchmark workload (W1 LeNet-5, W2 char-LSTM, W3 char-GRU, W4 ResNet-20 training; W5 SGEMM) and print its figures.",
        footer = {"", "Examples:",
                "  neurite bench W1 --data ../shared/data/mnist",
                "  neurite bench W5"})
public final class BenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "WORKLOAD", description = "W1, W2, W3, W4 or W5.")
    String workload;

    @Option(names = "--data", paramLabel = "DIR",
            description = "MNIST IDX folder for W1 (the workload is defined on shared/data/mnist). Default: the bundled sample.")
    Path data;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Override public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintStream log = new PrintStream(System.out, true);
        switch (workload.toUpperCase(Locale.ROOT)) {
            case "W1" -> {
                if (data != null && !Files.isDirectory(data)) throw new UsageException("--data: no such directory: " + data);
                MnistDataset train = data == null ? MnistDataset.bundledSample(MnistDataset.Split.TRAIN) : MnistDataset.load(data, MnistDataset.Split.TRAIN);
                MnistDataset test = data == null ? MnistDataset.bundledSample(MnistDataset.Split.TEST) : MnistDataset.load(data, MnistDataset.Split.TEST);
                if (data == null) log.println("# W1 on the bundled sample; the workload is defined on shared/data/mnist (pass --data)");
                log.println("# threads " + Parallel.threads() + ", Java " + Runtime.version());
                W1LeNet.Result r = W1LeNet.run(train, test, seed, log);
                out.printf(Locale.ROOT, "# W1 time in epochs 2-3: %s%n", r.breakdown());
                out.printf(Locale.ROOT, "W1 images_per_s %.1f%n", r.imagesPerSecond());
                out.printf(Locale.ROOT, "W1 test_accuracy %.4f%n", r.testAccuracy());
            }
            case "W5" -> {
                int all = Runtime.getRuntime().availableProcessors();
                log.println("# W5: warming the JIT up (untimed, about a second)");
                GemmBenchmark.warmUp();
                for (int n : new int[] {1024, 2048}) {
                    out.printf(Locale.ROOT, "W5 gflops_n%d_threads1 %.1f%n", n, GemmBenchmark.gflops(n, 1));
                    out.flush();
                    out.printf(Locale.ROOT, "W5 gflops_n%d_threadsall %.1f%n", n, GemmBenchmark.gflops(n, all));
                    out.flush();
                }
            }
            case "W2", "W3" -> org.neurite.models.bench.W2W3CharLm.report(workload.toUpperCase(Locale.ROOT), data, seed, out, log);
            case "W4" -> {
                org.neurite.models.bench.W4ResNet20.Result r = org.neurite.models.bench.W4ResNet20.run(seed, log);
                double total = r.forwardS() + r.backwardS() + r.updateS();
                out.printf(Locale.ROOT, "# W4 time in the timed steps: forward %.0f%% backward %.0f%% update %.0f%%%n",
                        100 * r.forwardS() / total, 100 * r.backwardS() / total, 100 * r.updateS() / total);
                out.printf(Locale.ROOT, "W4 images_per_s %.1f%n", r.imagesPerSecond());
            }
            default -> throw new UsageException("bench: unknown workload '" + workload + "' (available: W1, W2, W3, W4, W5)");
        }
        out.flush();
        return 0;
    }
}
