package org.neurite.runtime.gemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The 4-row short tile for bottom-edge panels gives the same bits as the full 6-row tile it
 * replaces (computed into scratch and merged): each element is the same chain of fused
 * multiply-adds. Compared against the same kernel with the short tile switched off.
 */
class ShortTileTest {
    /** The vector kernel with {@code shortMr() == 0}: every bottom edge takes the full tile. */
    private static final class NoShortTile implements MicroKernel {
        private final MicroKernel k = VectorMicroKernel.create();

        @Override public int mr() { return k.mr(); }

        @Override public int nr() { return k.nr(); }

        @Override public void tile(int kc, float[] ap, int ao, float[] bp, int bo, int bStride,
                                   float[] c, int co, int ldc, float alpha, float beta) {
            k.tile(kc, ap, ao, bp, bo, bStride, c, co, ldc, alpha, beta);
        }

        @Override public int narrowNr() { return k.narrowNr(); }

        @Override public void narrowTile(int kc, float[] ap, int ao, float[] bp, int bo, int bStride,
                                         float[] c, int co, int ldc, float alpha, float beta) {
            k.narrowTile(kc, ap, ao, bp, bo, bStride, c, co, ldc, alpha, beta);
        }

        @Override public void dots(int m, int n, int k2, float alpha, float[] a, int aOff, int lda,
                                   float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
            k.dots(m, n, k2, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    @Test void sameBitsAsTheFullTile() {
        BlockedGemm withShort = new BlockedGemm(VectorMicroKernel.create(), 120, 1024, 2048);
        BlockedGemm without = new BlockedGemm(new NoShortTile(), 120, 1024, 2048);
        // m % 6 = 4 (conv2: 16), 1, 2, 3 (scratch + merge), 0; n with and without a ragged edge
        int[][] shapes = {{16, 408, 150}, {10, 64, 33}, {4, 96, 7}, {1, 64, 20}, {3, 70, 5}, {14, 200, 1100},
            {130, 100, 64}, {6, 64, 9}};
        SplittableRandom r = new SplittableRandom(9);
        for (int[] s : shapes) {
            for (int t = 0; t < 2; t++) {
                boolean transA = t == 1;
                for (float beta : new float[] {0f, 1f, 0.5f}) {
                    int m = s[0], n = s[1], k = s[2];
                    float[] a = random(r, m * k), b = random(r, k * n), c0 = random(r, m * n);
                    float[] c1 = c0.clone(), c2 = c0.clone();
                    int lda = transA ? m : k;
                    withShort.run(transA, false, false, 0, m, 0, n, k, 1.25f, a, 0, lda, b, 0, n, beta, c1, 0, n);
                    without.run(transA, false, false, 0, m, 0, n, k, 1.25f, a, 0, lda, b, 0, n, beta, c2, 0, n);
                    assertArrayEquals(c2, c1, java.util.Arrays.toString(s) + " transA=" + transA + " beta=" + beta);
                    // B read in place too (the path small-m products take)
                    c1 = c0.clone();
                    c2 = c0.clone();
                    withShort.run(transA, false, true, 0, m, 0, n, k, 1.25f, a, 0, lda, b, 0, n, beta, c1, 0, n);
                    without.run(transA, false, true, 0, m, 0, n, k, 1.25f, a, 0, lda, b, 0, n, beta, c2, 0, n);
                    assertArrayEquals(c2, c1, java.util.Arrays.toString(s) + " direct B, transA=" + transA + " beta=" + beta);
                }
            }
        }
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
        return x;
    }
}
