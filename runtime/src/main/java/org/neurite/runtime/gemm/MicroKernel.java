package org.neurite.runtime.gemm;

/**
 * The innermost GEMM step: one mr x nr tile of C from an A micro-panel and a B micro-panel.
 * <p>
 * The A panel holds, for each p in [0, kc), the mr values op(A)[i0 + r][p] ({@code ap[ao + p*mr + r]}).
 * The B panel holds, for each p, nr consecutive values op(B)[p][j0 + j] starting at
 * {@code bp[bo + p*bStride]}: bStride is nr for a packed panel, or ldb when B is read in place.
 * The tile is written as C = alpha * (A B) + beta * C, evaluated as {@code alpha*acc + beta*c}
 * (two roundings, no fused multiply-add) on every path so that edge tiles, which go through a
 * scratch tile, round exactly like full ones; beta == 0 overwrites C without reading it.
 */
interface MicroKernel {
    /** Rows of a tile. */
    int mr();

    /** Columns of a tile. */
    int nr();

    /** C[co + r*ldc + j] = alpha * sum_p A(r, p) B(p, j) + beta * C[...], r < mr, j < nr. */
    void tile(int kc, float[] ap, int ao, float[] bp, int bo, int bStride,
              float[] c, int co, int ldc, float alpha, float beta);

    /** Columns of the narrow tile used for right-edge panels (0: none, edges use the full tile). */
    default int narrowNr() {
        return 0;
    }

    /**
     * Like {@link #tile} but for the first {@link #narrowNr()} columns of the B panel only; used
     * when the panel at the right edge of C has at most that many valid columns.
     */
    default void narrowTile(int kc, float[] ap, int ao, float[] bp, int bo, int bStride,
                            float[] c, int co, int ldc, float alpha, float beta) {
        throw new UnsupportedOperationException("no narrow tile");
    }

    /** Rows of the short tile used for bottom-edge panels (0: none, edges use the full tile). */
    default int shortMr() {
        return 0;
    }

    /**
     * Like {@link #tile} but for the first {@link #shortMr()} rows of the A panel only (the panel
     * keeps its mr-row layout); used when the panel at the bottom edge of C has at most that many
     * valid rows (m = 16 with mr = 6 leaves 4).
     */
    default void shortTile(int kc, float[] ap, int ao, float[] bp, int bo, int bStride,
                           float[] c, int co, int ldc, float alpha, float beta) {
        throw new UnsupportedOperationException("no short tile");
    }

    /**
     * C = alpha * A B^T + beta * C for the m x n block, with A rows (length k, stride lda) and B rows
     * (length k, stride ldb) both contiguous in k: dot products, no packing. Used for small shapes
     * with transposed B and a long k (a convolution's filter gradient).
     */
    void dots(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc);
}
