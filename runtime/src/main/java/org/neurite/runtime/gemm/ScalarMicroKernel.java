package org.neurite.runtime.gemm;

/**
 * The plain-Java micro-kernel, used when the jdk.incubator.vector module is absent: a 4 x 4 tile
 * held in 16 local accumulators with {@link Math#fma}. JDK 25's C2 turns this into packed
 * instructions itself (about 6x the JDK 17 speed, shared/CPU-NOTES.md).
 */
final class ScalarMicroKernel implements MicroKernel {
    private static final int MR = 4;
    private static final int NR = 4;

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public void tile(int kc, float[] ap, int ao, float[] bp, int bo, int bStride,
                     float[] c, int co, int ldc, float alpha, float beta) {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        float c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        float c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int p = 0; p < kc; p++) {
            float b0 = bp[bo], b1 = bp[bo + 1], b2 = bp[bo + 2], b3 = bp[bo + 3];
            float a = ap[ao];
            c00 = Math.fma(a, b0, c00);
            c01 = Math.fma(a, b1, c01);
            c02 = Math.fma(a, b2, c02);
            c03 = Math.fma(a, b3, c03);
            a = ap[ao + 1];
            c10 = Math.fma(a, b0, c10);
            c11 = Math.fma(a, b1, c11);
            c12 = Math.fma(a, b2, c12);
            c13 = Math.fma(a, b3, c13);
            a = ap[ao + 2];
            c20 = Math.fma(a, b0, c20);
            c21 = Math.fma(a, b1, c21);
            c22 = Math.fma(a, b2, c22);
            c23 = Math.fma(a, b3, c23);
            a = ap[ao + 3];
            c30 = Math.fma(a, b0, c30);
            c31 = Math.fma(a, b1, c31);
            c32 = Math.fma(a, b2, c32);
            c33 = Math.fma(a, b3, c33);
            ao += MR;
            bo += bStride;
        }
        Tiles.storeDots(c, co, 4, alpha, beta, c00, c01, c02, c03);
        Tiles.storeDots(c, co + ldc, 4, alpha, beta, c10, c11, c12, c13);
        Tiles.storeDots(c, co + 2 * ldc, 4, alpha, beta, c20, c21, c22, c23);
        Tiles.storeDots(c, co + 3 * ldc, 4, alpha, beta, c30, c31, c32, c33);
    }

    @Override
    public void dots(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        dotsScalar(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** The plain dot products, one fused multiply-add chain per cell. */
    static void dotsScalar(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                           float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * lda;
            for (int j = 0; j < n; j++) {
                int bj = bOff + j * ldb;
                float s = 0;
                for (int p = 0; p < k; p++) s = Math.fma(a[ai + p], b[bj + p], s);
                int at = cOff + i * ldc + j;
                c[at] = Tiles.update(s, alpha, beta, c[at]);
            }
        }
    }
}
