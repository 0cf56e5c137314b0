package org.neurite.runtime.gemm;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.neurite.runtime.Blas;
import org.neurite.runtime.Parallel;

/**
 * Benchmark W5 (shared/BENCHMARKS.md): C = A x B, square n, float32, row-major, random inputs;
 * median of 10 runs after 3 warm-ups; GFLOP/s = 2 n^3 / seconds. Also times arbitrary shapes
 * (the small LeNet-5 GEMMs) in batches of calls, since one call there takes microseconds.
 * <p>
 * {@code java --add-modules jdk.incubator.vector -cp ... org.neurite.runtime.gemm.GemmBenchmark
 * [n ...] [--shapes]}
 */
public final class GemmBenchmark {
    private static final int WARMUPS = 3;
    private static final int RUNS = 10;

    private GemmBenchmark() { }

    /**
     * W5 at size n on the given number of threads (1, or {@link Runtime#availableProcessors()} for
     * "all threads"), through {@link Blas#sgemm}. Restores the previous thread count.
     *
     * @return GFLOP/s of the median run
     */
    public static double gflops(int n, int threads) {
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            float[] a = random(n * n, 1);
            float[] b = random(n * n, 2);
            float[] c = new float[n * n];
            double[] seconds = new double[RUNS];
            for (int r = -WARMUPS; r < RUNS; r++) {
                long t0 = System.nanoTime();
                Blas.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
                long t1 = System.nanoTime();
                if (r >= 0) seconds[r] = (t1 - t0) * 1e-9;
            }
            return 2.0 * n * n * n / median(seconds) / 1e9;
        } finally {
            Parallel.setThreads(before);
        }
    }

    /**
     * Runs the W5 code paths untimed until the JIT has compiled them: one and all threads, one k
     * block and several (k beyond the kernel's k block adds to C, a branch n=1024 never takes), for
     * about a second. Without it the first all-threads figure was taken while C2 still compiled
     * the loop nest on one of the two cores (n=1024: 103-158 GFLOP/s in four runs, 161-191 once
     * warm). PyTorch's kernels are compiled ahead of time; JMH warms up the same way.
     */
    public static void warmUp() {
        int before = Parallel.threads();
        try {
            float[] a = random(512 * 2048, 1);
            float[] b = random(2048 * 512, 2);
            float[] c = new float[512 * 512];
            for (int threads : new int[] {1, Runtime.getRuntime().availableProcessors(), 1}) {
                Parallel.setThreads(threads);
                for (int r = 0; r < 20; r++) {
                    Blas.sgemm(false, false, 512, 512, 512, 1f, a, 0, 512, b, 0, 512, 0f, c, 0, 512);
                    Blas.sgemm(false, false, 512, 512, 2048, 1f, a, 0, 2048, b, 0, 512, 0f, c, 0, 512);
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    /**
     * Median seconds per call of one GEMM shape on the current thread count (C = op(A) op(B), beta
     * 0), timed in batches of at least about a millisecond.
     */
    public static double secondsPerCall(boolean transA, boolean transB, int m, int n, int k) {
        float[] a = random(m * k, 1);
        float[] b = random(k * n, 2);
        float[] c = new float[m * n];
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        int batch = (int) Math.max(1, Math.min(100_000, 2_000_000L / Math.max(1, (long) m * n * k / 8)));
        double[] perCall = new double[RUNS];
        for (int r = -20 * WARMUPS; r < RUNS; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < batch; i++) {
                Blas.sgemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
            }
            long t1 = System.nanoTime();
            if (r >= 0) perCall[r] = (t1 - t0) * 1e-9 / batch;
        }
        return median(perCall);
    }

    /** Prints W5 for each n (default 1024 and 2048) and, with --shapes, the LeNet-5 GEMMs. */
    public static void main(String[] args) {
        boolean shapes = Arrays.asList(args).contains("--shapes");
        int[] sizes = Arrays.stream(args).filter(s -> !s.startsWith("--")).mapToInt(Integer::parseInt).toArray();
        if (sizes.length == 0 && !shapes) sizes = new int[] {1024, 2048};
        int all = Runtime.getRuntime().availableProcessors();
        System.out.printf("engine %s, JDK %s, %d processors%n", Blas.engine(), Runtime.version(), all);
        warmUp();
        for (int n : sizes) {
            System.out.printf("W5 n=%d  1 thread %.1f GFLOP/s  %d threads %.1f GFLOP/s%n",
                    n, gflops(n, 1), all, gflops(n, all));
        }
        if (shapes) printShapes();
    }

    /**
     * The LeNet-5 GEMMs: per image for the convolutions (im2col), batch 64 for the dense layers;
     * each forward product with its two backward products (dX, dW).
     */
    static final String[] LENET_SHAPES = {
        "NN 6 784 25", "TN 25 784 6", "NT 6 25 784",         // C1: 6@28x28 from 1x5x5
        "NN 16 100 150", "TN 150 100 16", "NT 16 150 100",   // C3: 16@10x10 from 6x5x5
        "NT 64 120 400", "NN 64 400 120", "TN 120 400 64",   // F5: 400 -> 120
        "NT 64 84 120", "NN 64 120 84", "TN 84 120 64",      // F6: 120 -> 84
        "NT 64 10 84", "NN 64 84 10", "TN 10 84 64",         // output: 84 -> 10
    };

    private static void printShapes() {
        System.out.printf("%-3s %5s %5s %5s %10s %8s   (%d thread(s))%n", "op", "m", "n", "k", "us/call", "GFLOP/s",
                Parallel.threads());
        for (String shape : LENET_SHAPES) {
            String[] s = shape.split(" ");
            int m = Integer.parseInt(s[1]), n = Integer.parseInt(s[2]), k = Integer.parseInt(s[3]);
            double sec = secondsPerCall(s[0].charAt(0) == 'T', s[0].charAt(1) == 'T', m, n, k);
            System.out.printf("%-3s %5d %5d %5d %10.2f %8.1f%n", s[0], m, n, k, sec * 1e6, 2.0 * m * n * k / sec / 1e9);
        }
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        int h = s.length / 2;
        return s.length % 2 == 1 ? s[h] : (s[h - 1] + s[h]) / 2;
    }

    private static float[] random(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) r.nextDouble(-1, 1);
        return x;
    }
}
