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
            if (transA) {
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
