package org.neurite.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.neurite.runtime.Blas;
import org.neurite.runtime.Parallel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Blas#sgemm} under JMH: C = op(A) op(B) for a shape "trans m n k" (trans one of NN, TN,
 * NT, TT) on a given number of threads. The defaults are W5 at n=1024 and the LeNet-5 layer GEMMs.
 * Run: {@code java -jar bench/target/benchmarks.jar Sgemm -p "shape=NN 1024 1024 1024" -p threads=2}.
 * GFLOP/s = 2 m n k / (microseconds per op * 1000).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SgemmBenchmark {
    /** "trans m n k"; the LeNet-5 ones are those of GemmBenchmark's table. */
    @Param({"NN 1024 1024 1024", "NN 6 784 25", "TN 25 784 6", "NT 6 25 784", "NN 16 100 150",
        "TN 150 100 16", "NT 16 150 100", "NT 64 120 400", "NN 64 400 120", "TN 120 400 64",
        "NT 64 10 84", "NN 64 84 10", "TN 10 84 64"})
    public String shape;

    @Param({"1"})
    public int threads;

    private int m, n, k, lda, ldb;
    private boolean transA, transB;
    private float[] a, b, c;
    private int threadsBefore;

    @Setup(Level.Trial)
    public void setUp() {
        String[] s = shape.split(" ");
        transA = s[0].charAt(0) == 'T';
        transB = s[0].charAt(1) == 'T';
        m = Integer.parseInt(s[1]);
        n = Integer.parseInt(s[2]);
        k = Integer.parseInt(s[3]);
        lda = transA ? m : k;
        ldb = transB ? k : n;
        a = random(m * k, 1);
        b = random(k * n, 2);
        c = new float[m * n];
        threadsBefore = Parallel.threads();
        Parallel.setThreads(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Parallel.setThreads(threadsBefore);
    }

    @Benchmark
    public float[] sgemm() {
        Blas.sgemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
        return c;
    }

    private static float[] random(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) r.nextDouble(-1, 1);
        return x;
    }
}
