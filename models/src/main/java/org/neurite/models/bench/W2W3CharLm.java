package org.neurite.models.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.neurite.layers.Mode;
import org.neurite.layers.Sequential;
import org.neurite.layers.loss.SoftmaxCrossEntropy;
import org.neurite.layers.optim.Adam;
import org.neurite.layers.rnn.CellType;
import org.neurite.models.data.InputDataException;
import org.neurite.models.text.RandomWindows;
import org.neurite.models.text.TextCorpus;
import org.neurite.models.zoo.CharLm;
import org.neurite.runtime.Blas;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;

/**
 * Workloads W2 (char-lstm) and W3 (char-gru) of shared/BENCHMARKS.md, as the PyTorch peer runs them:
 * one-hot -> 1-layer RNN 256 -> dense V per step, softmax cross-entropy over all 64 x 32 steps,
 * Adam lr 0.002, batches of 32 random windows of 64 steps, zero initial state every batch.
 * Figures: characters/second over 3 blocks of 50 steps after 5 warm-up steps (median; the first
 * block alone is the 5 + 50 definition), and the loss at step 300 and its mean over steps 291-300.
 * Each timed block also records how much of the machine other processes used.
 */
public final class W2W3CharLm {
    public static final int BATCH = 32;
    public static final int STEPS = 64;
    public static final int HIDDEN = 256;
    private static final int WARM = 5;
    private static final int BLOCK = 50;
    private static final int BLOCKS = 3;

    /** The figures. {@code lossAt300} is NaN when fewer than 300 steps ran. */
    public record Result(double charsPerSecond, double[] blockRates, double lossAt300, double lossMean291To300,
                         double firstLoss, long parameters, List<String> loads) { }

    /** Where the workload's corpus lies seen from a checkout's root, and the bundled sample. */
    public static final Path SHARED_CORPUS = Path.of("..", "shared", "data", "text", "fortunes-corpus.txt");
    public static final Path SAMPLE = Path.of("src-test-data", "text", "fortunes-sample.txt");

    private W2W3CharLm() { }

    /**
     * {@code neurite bench W2|W3}: runs the workload on {@code file} (null: the shared corpus when
     * present, else the bundled sample) and prints the figure lines in the peer script's format
     * ({@code W2 chars_per_s 1234.5}); comment lines go to {@code log}.
     */
    public static void report(String workload, Path file, long seed, PrintWriter out, PrintStream log) throws InputDataException {
        if (file == null) file = Files.isRegularFile(SHARED_CORPUS) ? SHARED_CORPUS : SAMPLE;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--data: no such text file: " + file + " (" + workload + " is defined on shared/data/text/fortunes-corpus.txt)");
        }
        if (!file.getFileName().toString().equals("fortunes-corpus.txt")) {
            log.println("# " + workload + " on " + file + "; the workload is defined on shared/data/text/fortunes-corpus.txt (pass --data)");
        }
        TextCorpus corpus = TextCorpus.characters(file);
        log.println("# threads " + Parallel.threads() + ", gemm " + Blas.engine() + ", Java " + Runtime.version()
                + ", load average " + loadAverage());
        CellType cell = workload.equals("W2") ? CellType.LSTM : CellType.GRU;
        Result r = run(workload, cell, corpus, seed, 300, log);
        out.printf(Locale.ROOT, "# %s chars/s per 50-step block: %.1f, %.1f, %.1f%n", workload, r.blockRates()[0], r.blockRates()[1], r.blockRates()[2]);
        out.printf(Locale.ROOT, "%s chars_per_s %.1f%n", workload, r.charsPerSecond());
        out.printf(Locale.ROOT, "%s loss_at_step_300 %.4f%n", workload, r.lossAt300());
        out.printf(Locale.ROOT, "%s loss_mean_steps_291_300 %.4f%n", workload, r.lossMean291To300());
        out.flush();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "n/a";
        }
    }

    /** Runs {@code steps} training steps (at least 155) of the workload with {@code cell} on {@code corpus}. */
    public static Result run(String workload, CellType cell, TextCorpus corpus, long seed, int steps, PrintStream log) {
        int v = corpus.vocabulary().size();
        Rng rng = new Rng(seed);
        Sequential model = CharLm.build(cell, v, HIDDEN, 1, rng);
        Adam adam = new Adam(model.params(), 0.002);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        RandomWindows windows = new RandomWindows(corpus.ids(), BATCH, STEPS, new Rng(seed + 1));
        int total = Math.max(steps, WARM + BLOCK * BLOCKS);
        log.printf(Locale.ROOT, "# %s corpus %d chars, vocab %d; %s hidden %d, batch %dx%d; %d parameters%n",
                workload, corpus.length(), v, cell, HIDDEN, BATCH, STEPS, model.parameterCount());
        double[] losses = new double[total];
        double[] stepSeconds = new double[total];
        double[] rates = new double[BLOCKS];
        List<String> loads = new ArrayList<>();
        LoadMonitor mon = null;
        for (int s = 1; s <= total; s++) {
            long t0 = System.nanoTime();
            windows.next();
            Tensor out = model.forward(windows.inputs(), Mode.TRAIN);
            double l = loss.forward(out, windows.targets());
            model.zeroGrad();
            model.backward(loss.backward());
            adam.step();
            stepSeconds[s - 1] = (System.nanoTime() - t0) / 1e9;
            losses[s - 1] = l;
            if (!Double.isFinite(l)) throw new IllegalStateException(workload + ": loss " + l + " at step " + s);
            if (s == WARM) mon = LoadMonitor.start();
            int k = (s - WARM) / BLOCK;
            if (s > WARM && (s - WARM) % BLOCK == 0 && k <= BLOCKS) {
                double secs = 0;
                for (int i = s - BLOCK; i < s; i++) secs += stepSeconds[i];
                rates[k - 1] = (double) BATCH * STEPS * BLOCK / secs;
                String load = mon.stop();
                loads.add(load);
                log.printf(Locale.ROOT, "# %s timed block %d (steps %d-%d): %.1f chars/s, %.1f ms/step; %s%n",
                        workload, k, s - BLOCK + 1, s, rates[k - 1], 1000 * secs / BLOCK, load);
                mon = LoadMonitor.start();
            }
            if (s % 50 == 0 || s == total) log.printf(Locale.ROOT, "# %s step %d: loss %.4f%n", workload, s, l);
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        double at300 = total >= 300 ? losses[299] : Double.NaN;
        double mean = 0;
        if (total >= 300) {
            for (int i = 290; i < 300; i++) mean += losses[i];
            mean /= 10;
        } else {
            mean = Double.NaN;
        }
        log.printf(Locale.ROOT, "# %s loss at step 1: %.4f (ln V = %.4f)%n", workload, losses[0], Math.log(v));
        return new Result(sorted[BLOCKS / 2], rates, at300, mean, losses[0], model.parameterCount(), loads);
    }

    /**
     * CPU used by this process and by others over a timed region, as fractions of wall time x cores,
     * from /proc/stat (the peer script's measure); "n/a" where /proc is missing.
     */
    static final class LoadMonitor {
        private final long wall0 = System.nanoTime();
        private final long own0 = ownCpuNanos();
        private final long[] stat0 = procStat();

        static LoadMonitor start() { return new LoadMonitor(); }

        String stop() {
            double wall = (System.nanoTime() - wall0) / 1e9;
            double own = (ownCpuNanos() - own0) / 1e9;
            long[] s1 = procStat();
            int cores = Runtime.getRuntime().availableProcessors();
            double cap = Math.max(wall * cores, 1e-9);
            if (s1 == null || stat0 == null) return String.format(Locale.ROOT, "own_cpu=%.2f (of %d cores)", own / cap, cores);
            double tick = 100.0; // USER_HZ, 100 on Linux
            double total = (s1[0] - stat0[0]) / tick;
            double idle = (s1[1] - stat0[1]) / tick;
            double steal = (s1[2] - stat0[2]) / tick;
            double foreign = Math.max(0, total - idle - steal - own);
            return String.format(Locale.ROOT, "own_cpu=%.2f foreign_cpu=%.2f steal=%.2f (fractions of %d cores)",
                    own / cap, foreign / cap, steal / cap, cores);
        }

        private static long ownCpuNanos() {
            java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean sun) return sun.getProcessCpuTime();
            return 0;
        }

        /** {total, idle + iowait, steal} jiffies, or null. */
        private static long[] procStat() {
            try {
                String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
                String[] f = line.trim().split("\\s+");
                long[] v = new long[f.length - 1];
                for (int i = 1; i < f.length; i++) v[i - 1] = Long.parseLong(f[i]);
                long total = 0;
                for (int i = 0; i < Math.min(8, v.length); i++) total += v[i];
                return new long[] {total, v[3] + v[4], v.length > 7 ? v[7] : 0};
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }
}
