package org.neurite.runtime.gemm;

import org.neurite.runtime.Parallel;

/**
 * A single-precision GEMM engine: one micro-kernel, the blocked loop nest around it, the small-shape
 * paths and the split across {@link Parallel} threads. {@link org.neurite.runtime.Blas#sgemm} is the
 * API layers use; this class is public so that tests, benchmarks and the CLI can name an engine.
 * <p>
 * Two engines exist: {@link #vector()} (the {@code jdk.incubator.vector} kernel, chosen by
 * {@link #best()} when that module is in the boot layer) and {@link #scalar()} (plain Java, for
 * JVMs started without {@code --add-modules jdk.incubator.vector}). {@code -Dneurite.gemm=scalar}
 * forces the plain one.
 * <p>
 * Determinism: the path taken depends only on the shape and transposes, and the k loop is blocked
 * the same way on every thread, so the result is bit-identical for any thread count.
 */
public final class Gemm {
    /**
     * Block sizes, tuned on n=1024/2048 (1 MiB L2 per core): a long kc amortises loading and storing
     * the 12 accumulators of each tile (kc 256 -> 1024: about 81 -> 98 GFLOP/s on one core); the
     * mc x kc block of A (480 KiB) stays in L2 while the tiles walk across B.
     */
    private static final int MC = 120;
    private static final int KC = 1024;
    private static final int NC = 2048;
    /**
     * Below this many multiply-adds (about 12 us on one core) a second thread saves less than the
     * hand-off and the duplicated packing cost, so the call stays on the calling thread. The pool's
     * workers spin between regions (a hand-off of 0.2-2 us, Parallel): LeNet's fc1 products
     * (64 x 120 x 400, ~0.1 ms) are worth splitting.
     */
    private static final long PARALLEL_MIN_WORK = 1L << 20;
    /** Largest B (elements, 256 KiB) read in place for any m: TN 25x784x6 8 -> 5 us. */
    private static final long DIRECT_B_MAX = 1L << 16;
    /**
     * Up to this many rows of C, B is read in place whatever its size: packing it costs more than
     * the strided panel reads save. One thread, AVX2, 5-row kernel: NN 16x1088x144 40 -> 62
     * GFLOP/s, 32x576x288 58 -> 69, 32x288x288 56 -> 72 (ResNet-20's convolutions); at 64 rows it
     * is even (64x640x576 71 vs 69, 64x160x576 65 vs 71) and at 120x1024x400 packing wins (77 vs 64).
     */
    private static final int DIRECT_B_MAX_ROWS = 40;
    /** A B^T takes the dots path up to this many elements of C when k is at least DOTS_LONG_K. */
    private static final long DOTS_LONG_K_CELLS = 4096;
    private static final int DOTS_LONG_K = 128;

    private final String name;
    private final MicroKernel kernel;
    private final BlockedGemm blocked;

    private Gemm(String name, MicroKernel kernel) {
        this.name = name;
        this.kernel = kernel;
        BlockedGemm nest = new BlockedGemm(kernel, MC, KC, NC);
        this.blocked = nest;
        this.shared = ThreadLocal.withInitial(() -> new SharedPackingSplit(nest));
    }

    /** The fastest engine this JVM can run. */
    public static Gemm best() {
        return Engines.BEST;
    }

    /** The plain-Java engine (works on every JVM). */
    public static Gemm scalar() {
        return Engines.SCALAR;
    }

    /**
     * The Vector API engine.
     *
     * @throws IllegalStateException when the JVM was started without the jdk.incubator.vector module
     */
    public static Gemm vector() {
        if (!Engines.vectorModulePresent()) {
            throw new IllegalStateException("the Vector API engine needs --add-modules jdk.incubator.vector");
        }
        return VectorEngine.ENGINE;
    }

    /** A short description, e.g. "vector 6x32" or "scalar 4x4". */
    public String name() {
        return name + " " + kernel.mr() + "x" + kernel.nr();
    }

    @Override
    public String toString() {
        return name();
    }

    /**
     * C = alpha * op(A) * op(B) + beta * C on row-major arrays; see
     * {@link org.neurite.runtime.Blas#sgemm} for the arguments. Runs on {@link Parallel#threads()}
     * threads, or on the calling thread alone inside a parallel region.
     */
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        GemmArgs.check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0) {
            GemmArgs.scale(m, n, beta, c, cOff, ldc);
            return;
        }
        if (useDots(transA, transB, m, n, k)) {
            kernel.dots(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        // B read in place (no packing) when few rows of C share it, or when all of B fits in L2
        boolean directB = !transB && (m <= DIRECT_B_MAX_ROWS || (long) k * n <= DIRECT_B_MAX);
        long work = (long) m * n * k;
        if (work < PARALLEL_MIN_WORK || Parallel.threads() == 1 || Parallel.inRegion()) {
            blocked.run(transA, transB, directB, 0, m, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb,
                    beta, c, cOff, ldc);
        } else if (m >= n && !directB && SharedPackingSplit.applies(m, Parallel.threads())) {
            // many rows (W5): the threads pack each B block together and claim rows as they go
            shared.get().run(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else {
            splits.get().run(transA, transB, directB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    /** The split of a call with many rows that shares packed B, per calling thread and reused. */
    private final ThreadLocal<SharedPackingSplit> shared;

    /** This engine's split of one call, per calling thread and reused: a call allocates nothing. */
    private final ThreadLocal<Split> splits = ThreadLocal.withInitial(Split::new);

    /**
     * One call split over the pool: by tiles of rows when m >= n, else by panels of columns. Each
     * part runs the blocked loop on its rectangle (packing its own panels of the shared operand).
     */
    private final class Split implements Parallel.RangeBody {
        private final GemmCall call = new GemmCall();
        private boolean directB, byRows;

        void run(boolean transA, boolean transB, boolean directB, int m, int n, int k, float alpha,
                 float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
            call.set(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            this.directB = directB;
            byRows = m >= n;
            try {
                int parts = byRows ? (m + kernel.mr() - 1) / kernel.mr() : (n + kernel.nr() - 1) / kernel.nr();
                Parallel.forRange(parts, this);
            } finally {
                call.clear();
            }
        }

        @Override
        public void run(int t0, int t1) {
            GemmCall g = call;
            if (byRows) {
                int mr = kernel.mr();
                blocked.run(g.transA, g.transB, directB, t0 * mr, Math.min(g.m, t1 * mr), 0, g.n, g.k, g.alpha,
                        g.a, g.aOff, g.lda, g.b, g.bOff, g.ldb, g.beta, g.c, g.cOff, g.ldc);
            } else {
                int nr = kernel.nr();
                blocked.run(g.transA, g.transB, directB, 0, g.m, t0 * nr, Math.min(g.n, t1 * nr), g.k, g.alpha,
                        g.a, g.aOff, g.lda, g.b, g.bOff, g.ldb, g.beta, g.c, g.cOff, g.ldc);
            }
        }
    }

    /**
     * A B^T with a small C (a convolution's filter gradient, m=6 n=25 k=784): dot products over the
     * contiguous rows of A and B beat packing B^T, a strided transpose, up to about 640 elements
     * of C (measured: 4 vs 21 us there, 11 vs 6 us at 30x30x100).
     */
    private static boolean useDots(boolean transA, boolean transB, int m, int n, int k) {
        if (!transB || transA || k < 32) return false;
        long cells = (long) m * n;
        // With a long k the dots' reductions are amortised and they beat packing B^T for a
        // mid-size C too. At 16x150 (conv2's filter gradient), one thread: k=408 36 vs 68 us,
        // k=272 29 vs 45, k=136 20 vs 23, k=100 13 vs 14 (even).
        return cells <= 640 || (k >= DOTS_LONG_K && cells <= DOTS_LONG_K_CELLS);
    }

    /** Engines are created on first use; the Vector API class is loaded only if its module is there. */
    private static final class Engines {
        static final Gemm SCALAR = new Gemm("scalar", new ScalarMicroKernel());
        static final Gemm BEST = !"scalar".equals(System.getProperty("neurite.gemm")) && vectorModulePresent()
                ? VectorEngine.ENGINE : SCALAR;

        static boolean vectorModulePresent() {
            return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        }
    }

    /** Initialised (and VectorMicroKernel loaded) only when first touched. */
    private static final class VectorEngine {
        static final Gemm ENGINE = new Gemm("vector", VectorMicroKernel.create());
    }
}
