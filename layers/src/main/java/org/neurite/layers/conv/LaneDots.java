package org.neurite.layers.conv;

/**
 * The filter gradient of a convolution with a small filter bank, dW [m, n] += G [m, k] * col [n, k]^T
 * (m = K/groups filters, n = Q filter taps, k = B*P, long), as dot products kept in vector lanes:
 * {@link #accumulate} adds each cell's products into its V lanes, chunk after chunk, and
 * {@link #fold} sums the lanes once at the end. A general GEMM either packs col^T (a strided
 * transpose) or reduces every dot product per call; ResNet-20's 16-filter layers (16 x 144 cells,
 * k = 1086 per sample) ran at 22 GFLOP/s there, 58-68 here: a 4 x 3 block of cells shares its
 * loads (7 vector loads per 12 FMAs) and 12 independent FMA chains hide the FMA latency.
 *
 * <p>Lanes are added in index order, never by {@code reduceLanes} (whose order differs between C2
 * and the interpreter), and each lane's sum runs over k in order: the result depends only on the
 * chunking, which depends only on the shape and the thread count.
 */
final class LaneDots {
    /** Present when the JVM has the Vector API ({@code -Dneurite.kernels=scalar}: never). */
    static final boolean AVAILABLE = !"scalar".equals(System.getProperty("neurite.kernels"))
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    /**
     * Lane floats per thread at most (256 KiB): 32 x 288 cells (ResNet's 32-filter layers) ran at
     * 46 GFLOP/s here, no better than the GEMM's packed path, with 576 KiB of lanes.
     */
    private static final int MAX_LANE_FLOATS = 1 << 16;
    /**
     * Fewer cells stay with the GEMM's own dot products (LeNet's conv1, 6 x 25: 4 us there, 5.8
     * here); ResNet's first layer, 16 x 27 cells, is faster here (batch 64, one thread, AVX-512:
     * 1.5-1.8 -> 1.2-1.5 ms).
     */
    private static final int MIN_CELLS = 400;

    private LaneDots() { }

    /** Floats per cell. */
    static int lanes() {
        return AVAILABLE ? LaneDotsVector.V : 1;
    }

    /** True when an m x n gradient takes this path. */
    static boolean applies(int m, int n) {
        long cells = (long) m * n;
        return AVAILABLE && cells > MIN_CELLS && cells * lanes() <= MAX_LANE_FLOATS;
    }

    /**
     * lanes [m*n, V] at lOff += the lane-wise products of rows a_i (stride lda) and b_j (stride
     * ldb) over k columns, for every cell (i, j).
     */
    static void accumulate(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] lanes, int lOff) {
        LaneDotsVector.accumulate(m, n, k, a, aOff, lda, b, bOff, ldb, lanes, lOff);
    }

    /** As {@link #accumulate} with row j of b at {@code bOff + bRows[j]} (the taps of {@link ImplicitGemm}). */
    static void accumulate(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int[] bRows, float[] lanes, int lOff) {
        LaneDotsVector.accumulate(m, n, k, a, aOff, lda, b, bOff, bRows, lanes, lOff);
    }

    /** out[i] = the lanes of cell i summed in lane order, for {@code cells} cells. */
    static void fold(int cells, float[] lanes, float[] out) {
        int v = lanes();
        for (int c = 0; c < cells; c++) {
            float s = 0f;
            for (int l = c * v; l < (c + 1) * v; l++) s += lanes[l];
            out[c] = s;
        }
    }
}
