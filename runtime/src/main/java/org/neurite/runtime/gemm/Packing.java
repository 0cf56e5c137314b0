package org.neurite.runtime.gemm;

import java.util.Arrays;

/**
 * Copies blocks of op(A) and op(B) into the micro-panel order the kernels read, so the kernels see
 * unit-stride data whatever the transposes and leading dimensions (GotoBLAS/BLIS packing). The
 * transposes are absorbed here: no whole-matrix transpose is ever made. Panels at the bottom or
 * right edge are padded with zeros up to mr rows / nr columns.
 */
final class Packing {
    private Packing() { }

    /**
     * Packs op(A)[i0 .. i0+rows) x [p0 .. p0+kc) into ceil(rows/mr) panels of kc*mr floats:
     * {@code dst[panel*kc*mr + p*mr + r] = op(A)[i0 + panel*mr + r][p0 + p]}.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int rows, int p0, int kc,
                      int mr, float[] dst) {
        for (int ib = 0, panel = 0; ib < rows; ib += mr, panel += kc * mr) {
            int valid = Math.min(mr, rows - ib);
            if (valid == 5 && mr == 5) {
                fivePanel(transA, a, aOff, lda, i0 + ib, p0, kc, dst, panel);
            } else if (valid == 8 && mr == 8) {
                eightPanel(transA, a, aOff, lda, i0 + ib, p0, kc, dst, panel);
            } else if (transA) {
                // op(A)[i][p] = a[p*lda + i]: each p gives mr consecutive values
                int src = aOff + p0 * lda + i0 + ib;
                for (int p = 0, d = panel; p < kc; p++, src += lda, d += mr) {
                    for (int r = 0; r < valid; r++) dst[d + r] = a[src + r];
                    for (int r = valid; r < mr; r++) dst[d + r] = 0;
                }
            } else {
                // op(A)[i][p] = a[i*lda + p]: read each row straight, write with stride mr
                for (int r = 0; r < valid; r++) {
                    int src = aOff + (i0 + ib + r) * lda + p0;
                    for (int p = 0, d = panel + r; p < kc; p++, d += mr) dst[d] = a[src + p];
                }
                for (int r = valid; r < mr; r++) {
                    for (int p = 0, d = panel + r; p < kc; p++, d += mr) dst[d] = 0;
                }
            }
        }
    }

    /*
     * Whole panels of the 5- and 8-row kernels, in straight-line code: per p, the panel's values
     * are loaded into locals and stored side by side. The general loops above spend a branch per
     * value on the short row loop; on a 120 x 1024 block of A^T (an RNN's weight gradient, W2's
     * dR += dP^T H) this is 0.7 against 1.4-1.5 ns a value, and 0.4 against 0.5 for A.
     */

    private static void fivePanel(boolean transA, float[] a, int aOff, int lda, int i, int p0, int kc, float[] dst, int d) {
        if (transA) {
            for (int p = 0, s = aOff + p0 * lda + i; p < kc; p++, s += lda, d += 5) {
                float x0 = a[s], x1 = a[s + 1], x2 = a[s + 2], x3 = a[s + 3], x4 = a[s + 4];
                dst[d] = x0; dst[d + 1] = x1; dst[d + 2] = x2; dst[d + 3] = x3; dst[d + 4] = x4;
            }
        } else {
            int s0 = aOff + i * lda + p0, s1 = s0 + lda, s2 = s1 + lda, s3 = s2 + lda, s4 = s3 + lda;
            for (int p = 0; p < kc; p++, d += 5) {
                float x0 = a[s0 + p], x1 = a[s1 + p], x2 = a[s2 + p], x3 = a[s3 + p], x4 = a[s4 + p];
                dst[d] = x0; dst[d + 1] = x1; dst[d + 2] = x2; dst[d + 3] = x3; dst[d + 4] = x4;
            }
        }
    }

    private static void eightPanel(boolean transA, float[] a, int aOff, int lda, int i, int p0, int kc, float[] dst, int d) {
        if (transA) {
            for (int p = 0, s = aOff + p0 * lda + i; p < kc; p++, s += lda, d += 8) {
                float x0 = a[s], x1 = a[s + 1], x2 = a[s + 2], x3 = a[s + 3];
                float x4 = a[s + 4], x5 = a[s + 5], x6 = a[s + 6], x7 = a[s + 7];
                dst[d] = x0; dst[d + 1] = x1; dst[d + 2] = x2; dst[d + 3] = x3;
                dst[d + 4] = x4; dst[d + 5] = x5; dst[d + 6] = x6; dst[d + 7] = x7;
            }
        } else {
            int s0 = aOff + i * lda + p0, s1 = s0 + lda, s2 = s1 + lda, s3 = s2 + lda;
            int s4 = s3 + lda, s5 = s4 + lda, s6 = s5 + lda, s7 = s6 + lda;
            for (int p = 0; p < kc; p++, d += 8) {
                float x0 = a[s0 + p], x1 = a[s1 + p], x2 = a[s2 + p], x3 = a[s3 + p];
                float x4 = a[s4 + p], x5 = a[s5 + p], x6 = a[s6 + p], x7 = a[s7 + p];
                dst[d] = x0; dst[d + 1] = x1; dst[d + 2] = x2; dst[d + 3] = x3;
                dst[d + 4] = x4; dst[d + 5] = x5; dst[d + 6] = x6; dst[d + 7] = x7;
            }
        }
    }

    /**
     * Packs op(B)[p0 .. p0+kc) x [j0 .. j0+cols) into ceil(cols/nr) panels of kc*nr floats:
     * {@code dst[panel*kc*nr + p*nr + j] = op(B)[p0 + p][j0 + panel*nr + j]}.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int cols,
                      int nr, float[] dst) {
        packB(transB, b, bOff, ldb, p0, kc, j0, cols, nr, dst, 0);
    }

    /** {@link #packB} into dst from dOff: a thread packs its share of the panels in place. */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int cols,
                      int nr, float[] dst, int dOff) {
        for (int jb = 0, panel = dOff; jb < cols; jb += nr, panel += kc * nr) {
            int valid = Math.min(nr, cols - jb);
            if (transB) {
                // op(B)[p][j] = b[j*ldb + p]: a strided transpose. Four stored rows at a time, so
                // each written cache line takes four values per visit (1.7x faster at k=400)
                int j = 0;
                for (; j + 4 <= valid; j += 4) {
                    int s0 = bOff + (j0 + jb + j) * ldb + p0;
                    int s1 = s0 + ldb;
                    int s2 = s1 + ldb;
                    int s3 = s2 + ldb;
                    for (int p = 0, d = panel + j; p < kc; p++, d += nr) {
                        dst[d] = b[s0 + p];
                        dst[d + 1] = b[s1 + p];
                        dst[d + 2] = b[s2 + p];
                        dst[d + 3] = b[s3 + p];
                    }
                }
                for (; j < valid; j++) {
                    int src = bOff + (j0 + jb + j) * ldb + p0;
                    for (int p = 0, d = panel + j; p < kc; p++, d += nr) dst[d] = b[src + p];
                }
                if (valid < nr) {
                    for (int p = 0, d = panel; p < kc; p++, d += nr) Arrays.fill(dst, d + valid, d + nr, 0f);
                }
            } else {
                // op(B)[p][j] = b[p*ldb + j]: nr consecutive values per p
                int src = bOff + p0 * ldb + j0 + jb;
                for (int p = 0, d = panel; p < kc; p++, src += ldb, d += nr) {
                    System.arraycopy(b, src, dst, d, valid);
                    if (valid < nr) Arrays.fill(dst, d + valid, d + nr, 0f);
                }
            }
        }
    }
}
