package org.neurite.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurite.runtime.gemm.Gemm;

/**
 * SGEMM against a double-precision triple loop: odd sizes, all four transposes, alpha/beta,
 * offsets and padded leading dimensions, on both engines; plus determinism across thread counts.
 */
class GemmTest {
    private static final float SENTINEL = -777.25f;
    private static final int[] SIZES = {1, 3, 7, 17, 33, 65, 100, 129, 257};

    /** One problem: sizes, transposes, scalars and the padding around each matrix. */
    record Case(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta, int pad) {
        @Override
        public String toString() {
            return (transA ? "T" : "N") + (transB ? "T" : "N") + " m=" + m + " n=" + n + " k=" + k
                    + " alpha=" + alpha + " beta=" + beta + " pad=" + pad;
        }
    }

    static Stream<Gemm> engines() {
        return Stream.of(Gemm.best(), Gemm.scalar());
    }

    static List<Case> oddSizes() {
        List<Case> cases = new ArrayList<>();
        int t = 0;
        for (int m : SIZES) {
            for (int n : SIZES) {
                int k = SIZES[(m * 7 + n * 3) % SIZES.length];
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                float beta = new float[] {0f, 1f, 0.5f}[t % 3];
                cases.add(new Case(ta, tb, m, n, k, t % 5 == 0 ? -1.5f : 1f, beta, t % 4));
                t++;
            }
        }
        return cases;
    }

    /** Shapes aimed at each path: dots, B read in place, several k/m blocks, LeNet-5 layers. */
    static List<Case> pathCases() {
        List<Case> cases = new ArrayList<>();
        int[][] shapes = {
            {6, 784, 25}, {25, 784, 6}, {6, 25, 784}, {16, 100, 150}, {150, 100, 16}, {16, 150, 100},
            {64, 120, 400}, {64, 400, 120}, {120, 400, 64}, {64, 10, 84}, {64, 84, 10}, {10, 84, 64},
            {1, 1, 1}, {1, 1000, 1}, {1000, 1, 3}, {2, 5, 600}, {130, 70, 513}, {3, 4100, 2}, {47, 33, 1},
            {40, 50, 2100}, {30, 2100, 5}, {6, 40, 1030}, {7, 9, 79},
        };
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                cases.add(new Case((t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], 1f, t == 3 ? 0.5f : 0f, 3));
            }
        }
        return cases;
    }

    static Stream<Object[]> allCases() {
        List<Case> cases = new ArrayList<>(oddSizes());
        cases.addAll(pathCases());
        return engines().flatMap(e -> cases.stream().map(c -> new Object[] {e, c}));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allCases")
    void matchesDoubleReference(Gemm engine, Case cs) {
        check(cs, (a, lda, b, ldb, c, ldc, off) -> engine.sgemm(cs.transA, cs.transB, cs.m, cs.n, cs.k,
                cs.alpha, a, off, lda, b, off + 1, ldb, cs.beta, c, off + 2, ldc));
    }

    @Test
    void blasUsesTheVectorEngineUnderTheTestJvmFlags() {
        assertEquals(Gemm.best().name(), Blas.engine());
        assertEquals(true, Blas.engine().startsWith("vector"), "tests run with --add-modules jdk.incubator.vector");
        Case cs = new Case(true, false, 33, 65, 17, 2f, 0.5f, 2);
        check(cs, (a, lda, b, ldb, c, ldc, off) -> Blas.sgemm(cs.transA, cs.transB, cs.m, cs.n, cs.k,
                cs.alpha, a, off, lda, b, off + 1, ldb, cs.beta, c, off + 2, ldc));
    }

    @Test
    void betaZeroIgnoresNanInC() {
        for (Gemm engine : engines().toList()) {
            for (int[] s : new int[][] {{7, 9, 5}, {6, 25, 784}, {100, 129, 300}}) {
                float[] a = random(s[0] * s[2], 1);
                float[] b = random(s[2] * s[1], 2);
                float[] c = new float[s[0] * s[1]];
                java.util.Arrays.fill(c, Float.NaN);
                engine.sgemm(false, true, s[0], s[1], s[2], 1f, a, 0, s[2], b, 0, s[2], 0f, c, 0, s[1]);
                for (int i = 0; i < c.length; i++) {
                    if (Float.isNaN(c[i])) fail(engine + " " + java.util.Arrays.toString(s) + ": NaN at " + i);
                }
            }
        }
    }

    @Test
    void alphaZeroOrKZeroOnlyScalesC() {
        float[] c = {1, 2, 3, 4};
        Blas.sgemm(false, false, 2, 2, 0, 1f, new float[0], 0, 1, new float[0], 0, 2, 0.5f, c, 0, 2);
        assertArrayEquals(new float[] {0.5f, 1, 1.5f, 2}, c);
        float[] nan = {Float.NaN, Float.NaN};
        Blas.sgemm(false, false, 1, 2, 3, 0f, new float[] {1, 2, 3}, 0, 3, new float[6], 0, 2, 0f, nan, 0, 2);
        assertArrayEquals(new float[] {0, 0}, nan);
    }

    @Test
    void rejectsArraysTooSmallForTheirShape() {
        float[] x = new float[12];
        assertThrows(IndexOutOfBoundsException.class,
                () -> Blas.sgemm(false, false, 3, 4, 5, 1f, x, 0, 5, x, 0, 4, 0f, x, 0, 4));
        assertThrows(IllegalArgumentException.class,
                () -> Blas.sgemm(false, false, 3, 4, 2, 1f, x, 0, 1, x, 0, 4, 0f, x, 0, 4));
        assertThrows(IllegalArgumentException.class,
                () -> Blas.sgemm(false, false, -1, 4, 2, 1f, x, 0, 2, x, 0, 4, 0f, x, 0, 4));
    }

    /** Same thread count, same bits; and here also the same bits for every thread count. */
    @Test
    void threadCountDoesNotChangeTheBits() {
        int before = Parallel.threads();
        try {
            // all above the 2^20 multiply-adds from which sgemm splits rows (m >= n) or columns (m < n)
            int[][] shapes = {{300, 200, 300}, {50, 900, 100}, {257, 257, 1100}, {129, 1000, 65},
                {64, 120, 400}, {120, 400, 64},    // these two: LeNet's fc1, just above 2^20
                // enough rows for the threads to share packed B blocks (SharedPackingSplit):
                // two k blocks, a ragged last row block and column panel, two column blocks
                {1000, 300, 1500}, {703, 45, 90}, {2200, 2101, 8}};
            for (int[] s : shapes) {
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0;
                    boolean tb = (t & 2) != 0;
                    float[] ref = null;
                    for (int threads : new int[] {1, 2, 3, 1}) {
                        Parallel.setThreads(threads);
                        float[] c = runShape(ta, tb, s[0], s[1], s[2]);
                        if (ref == null) ref = c;
                        else assertArrayEquals(ref, c, "threads=" + threads + " " + t + " " + java.util.Arrays.toString(s));
                    }
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void insideAParallelRegionRunsOnTheCallingThread() {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(2);
            float[] expected = runShape(false, true, 200, 150, 160);
            float[][] got = new float[2][];
            Parallel.forRange(2, (from, to) -> {
                for (int i = from; i < to; i++) got[i] = runShape(false, true, 200, 150, 160);
            });
            assertArrayEquals(expected, got[0]);
            assertArrayEquals(expected, got[1]);
        } finally {
            Parallel.setThreads(before);
        }
    }

    /**
     * Packing buffers are per thread and reused: repeated calls allocate nothing. Checked on the
     * plain-Java engine, whose result does not depend on when the JIT compiles it (interpreted
     * Vector API code allocates its vectors), on one thread.
     */
    @Test
    void repeatedCallsAllocateNothing() {
        int threadsBefore = Parallel.threads();
        Parallel.setThreads(1);
        try {
            repeatedCallsAllocateNothingOnThisThread();
        } finally {
            Parallel.setThreads(threadsBefore);
        }
    }

    private static void repeatedCallsAllocateNothingOnThisThread() {
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Gemm engine = Gemm.scalar();
        int[][] shapes = {{6, 784, 25}, {16, 150, 100}, {130, 70, 1100}, {6, 25, 784}, {64, 120, 400}};
        float[] a = random(130 * 1100, 1);
        float[] b = random(1100 * 784, 2);
        float[] c = new float[130 * 784];
        for (int round = 0; round < 2; round++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int[] s : shapes) {
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0;
                    boolean tb = (t & 2) != 0;
                    engine.sgemm(ta, tb, s[0], s[1], s[2], 1f, a, 0, ta ? s[0] : s[2], b, 0, tb ? s[2] : s[1],
                            0.5f, c, 0, s[1]);
                }
            }
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            // round 0 grows the buffers; round 1 must reuse them
            if (round == 1) assertEquals(0, allocated, "bytes allocated by repeated sgemm calls");
        }
    }

    private static float[] runShape(boolean ta, boolean tb, int m, int n, int k) {
        float[] a = random(m * k, 11);
        float[] b = random(k * n, 12);
        float[] c = random(m * n, 13);
        Blas.sgemm(ta, tb, m, n, k, 0.75f, a, 0, ta ? m : k, b, 0, tb ? k : n, 0.5f, c, 0, n);
        return c;
    }

    /** The call under test, given the padded arrays, their leading dimensions and a base offset. */
    interface Call {
        void run(float[] a, int lda, float[] b, int ldb, float[] c, int ldc, int off);
    }

    /** Builds padded operands, runs the call, checks the m x n block and that the rest of C is intact. */
    static void check(Case cs, Call call) {
        int aRows = cs.transA ? cs.k : cs.m;
        int aCols = cs.transA ? cs.m : cs.k;
        int bRows = cs.transB ? cs.n : cs.k;
        int bCols = cs.transB ? cs.k : cs.n;
        int lda = aCols + cs.pad;
        int ldb = bCols + 2 * cs.pad;
        int ldc = cs.n + cs.pad;
        int off = cs.pad;
        float[] a = random(off + aRows * lda, 1);
        float[] b = random(off + 1 + bRows * ldb, 2);
        float[] c = new float[off + 2 + cs.m * ldc + cs.pad];
        java.util.Arrays.fill(c, SENTINEL);
        float[] c0 = random(cs.m * cs.n, 3);
        for (int i = 0; i < cs.m; i++) System.arraycopy(c0, i * cs.n, c, off + 2 + i * ldc, cs.n);

        call.run(a, lda, b, ldb, c, ldc, off);

        double[] expected = new double[cs.m * cs.n];
        double[] actual = new double[cs.m * cs.n];
        for (int i = 0; i < cs.m; i++) {
            for (int j = 0; j < cs.n; j++) {
                double s = 0;
                for (int p = 0; p < cs.k; p++) {
                    double av = cs.transA ? a[off + p * lda + i] : a[off + i * lda + p];
                    double bv = cs.transB ? b[off + 1 + j * ldb + p] : b[off + 1 + p * ldb + j];
                    s += av * bv;
                }
                expected[i * cs.n + j] = cs.alpha * s + cs.beta * (double) c0[i * cs.n + j];
                int at = off + 2 + i * ldc + j;
                actual[i * cs.n + j] = c[at];
                c[at] = SENTINEL; // so that the whole array must now hold only sentinels
            }
        }
        // float rounding grows with k; values are O(sqrt(k)), errors in practice O(sqrt(k) eps)
        double tol = 4e-7 * (cs.k + 2);
        TensorAsserts.assertClose(cs.toString(), expected, actual, tol, tol);
        for (int i = 0; i < c.length; i++) {
            if (c[i] != SENTINEL) fail(cs + ": C written outside the m x n block at index " + i + ": " + c[i]);
        }
    }

    static float[] random(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + size);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
        return x;
    }
}
