package org.neurite.runtime.gemm;

/**
 * The GotoBLAS/BLIS loop nest for one rectangle of C, on the calling thread:
 * <pre>
 *   for jc in steps of NC            columns of C and op(B)
 *     for pc in steps of KC          the shared dimension
 *       pack op(B)[pc.., jc..]       kc x nc, nr-wide panels (L3)
 *       for ic in steps of MC        rows of C and op(A)
 *         pack op(A)[ic.., pc..]     mc x kc, mr-high panels (L2)
 *         for jr, ir                 the micro-kernel on one mr x nr tile; its kc x nr B panel
 *                                    stays in L1 while ir walks the A panels
 * </pre>
 * The k blocking is global (pc = 0, KC, 2KC ...), so every element of C is summed in the same order
 * however the rows or columns are split between threads: the result does not depend on the split.
 */
final class BlockedGemm {
    private final MicroKernel kernel;
    private final int mc;
    private final int kc;
    private final int nc;

    BlockedGemm(MicroKernel kernel, int mc, int kc, int nc) {
        this.kernel = kernel;
        this.mc = roundUp(mc, kernel.mr());
        this.kc = kc;
        this.nc = roundUp(nc, kernel.nr());
    }

    MicroKernel kernel() { return kernel; }
    int mc() { return mc; }
    int kc() { return kc; }
    int nc() { return nc; }

    static int roundUp(int x, int step) {
        return (x + step - 1) / step * step;
    }

    /**
     * C[i0..i1) x [j0..j1) = alpha * op(A) op(B) + beta * C. With {@code directB} (only for
     * non-transposed B) full-width B panels are read in place with stride ldb instead of packed:
     * cheaper when there are too few rows of C to amortise packing.
     */
    void run(boolean transA, boolean transB, boolean directB, int i0, int i1, int j0, int j1, int k,
             float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
             float beta, float[] c, int cOff, int ldc) {
        int mr = kernel.mr();
        int nr = kernel.nr();
        int kcMax = Math.min(kc, k);
        int mcMax = Math.min(mc, roundUp(i1 - i0, mr));
        int ncMax = directB ? nr : Math.min(nc, roundUp(j1 - j0, nr));
        GemmBuffers buf = GemmBuffers.get(mcMax * kcMax, ncMax * kcMax, mr * nr);
        for (int jc = j0; jc < j1; jc += nc) {
            int ncNow = Math.min(nc, j1 - jc);
            for (int pc = 0; pc < k; pc += kc) {
                int kcNow = Math.min(kc, k - pc);
                // later k blocks add to what the first one wrote
                float betaNow = pc == 0 ? beta : 1f;
                int tailCols = ncNow % nr;
                if (!directB) {
                    Packing.packB(transB, b, bOff, ldb, pc, kcNow, jc, ncNow, nr, buf.b);
                } else if (tailCols != 0) {
                    Packing.packB(false, b, bOff, ldb, pc, kcNow, jc + ncNow - tailCols, tailCols, nr, buf.b);
                }
                for (int ic = i0; ic < i1; ic += mc) {
                    int mcNow = Math.min(mc, i1 - ic);
                    Packing.packA(transA, a, aOff, lda, ic, mcNow, pc, kcNow, mr, buf.a);
                    macro(buf, buf.b, directB, ic, mcNow, jc, ncNow, pc, kcNow, alpha, b, bOff, ldb,
                            betaNow, c, cOff, ldc);
                }
            }
        }
    }

    /**
     * All tiles of one packed mc x kc block of A (in buf.a) against one kc x nc block of B, packed
     * in packedB (this thread's buf.b, or a block all threads share) or read in place (directB).
     */
    void macro(GemmBuffers buf, float[] packedB, boolean directB, int ic, int mcNow, int jc, int ncNow,
               int pc, int kcNow, float alpha, float[] b, int bOff, int ldb,
               float beta, float[] c, int cOff, int ldc) {
        int mr = kernel.mr();
        int nr = kernel.nr();
        for (int jr = 0; jr < ncNow; jr += nr) {
            int cols = Math.min(nr, ncNow - jr);
            float[] bp = packedB;
            int bo = jr / nr * kcNow * nr;
            int bStride = nr;
            if (directB) {
                if (cols == nr) {
                    bp = b;
                    bo = bOff + pc * ldb + jc + jr;
                    bStride = ldb;
                } else {
                    bo = 0; // the packed tail panel
                }
            }
            for (int ir = 0; ir < mcNow; ir += mr) {
                int rows = Math.min(mr, mcNow - ir);
                int ao = ir / mr * kcNow * mr;
                int co = cOff + (ic + ir) * ldc + jc + jr;
                if (rows == mr && cols == nr) {
                    kernel.tile(kcNow, buf.a, ao, bp, bo, bStride, c, co, ldc, alpha, beta);
                } else if (cols == nr && rows == kernel.shortMr()) {
                    // a short bottom edge (m = 16 leaves 4 of 6 rows): only those rows, in place
                    kernel.shortTile(kcNow, buf.a, ao, bp, bo, bStride, c, co, ldc, alpha, beta);
                } else if (cols == nr && rows < kernel.shortMr()) {
                    kernel.shortTile(kcNow, buf.a, ao, bp, bo, bStride, buf.tile, 0, nr, 1f, 0f);
                    Tiles.merge(buf.tile, nr, rows, cols, c, co, ldc, alpha, beta);
                } else if (cols <= kernel.narrowNr()) {
                    // a thin right edge (n = 784 leaves 16 columns): half a tile into scratch
                    kernel.narrowTile(kcNow, buf.a, ao, bp, bo, bStride, buf.tile, 0, nr, 1f, 0f);
                    Tiles.merge(buf.tile, nr, rows, cols, c, co, ldc, alpha, beta);
                } else {
                    // edge tile: compute the whole tile into scratch, write back the valid corner
                    kernel.tile(kcNow, buf.a, ao, bp, bo, bStride, buf.tile, 0, nr, 1f, 0f);
                    Tiles.merge(buf.tile, nr, rows, cols, c, co, ldc, alpha, beta);
                }
            }
        }
    }
}
