package org.neurite.runtime.gemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Both k loops of the dot-product path, whatever the machine picks: the counted one C2 unrolls
 * (32-register machines) and the rolled one (16-register machines). Each gives the same bits as
 * the other, the same bits cold and JIT-compiled, and matches a double reference; over 4 x 3 and
 * 3 x 4 blocks, edges of 1-3 rows or columns, k % V tails, alpha and beta.
 */
class VectorDotsTest {
    /** m, n, k: conv1 / conv2 / ResNet-like filter gradients, then edges and tails. */
    private static final int[][] SHAPES = {
        {16, 150, 408}, {6, 25, 1784}, {16, 144, 1086}, {32, 288, 512},
        {5, 7, 33}, {4, 3, 47}, {1, 1, 40}, {2, 9, 63}, {13, 11, 400}, {9, 4, 385}, {3, 150, 390}, {17, 5, 95},
    };

    @BeforeEach
    void needsTheVectorModule() {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "the Vector API module is not loaded (run with --add-modules jdk.incubator.vector)");
    }

    @Test
    void rolledAndUnrolledLoopsGiveTheSameBitsAndMatchADoubleReference() {
        SplittableRandom r = new SplittableRandom(5);
        for (int[] s : SHAPES) {
            int m = s[0], n = s[1], k = s[2];
            // row strides longer than k and offsets, as a convolution's column buffer has
            int lda = k + 3, ldb = k + 1, ldc = n + 2, aOff = 1, bOff = 2, cOff = 3;
            float[] a = random(r, aOff + m * lda), b = random(r, bOff + n * ldb), c0 = random(r, cOff + m * ldc);
            for (float[] ab : new float[][] {{1f, 0f}, {-1.5f, 0.5f}}) {
                float alpha = ab[0], beta = ab[1];
                float[] rolled = c0.clone(), unrolled = c0.clone();
                VectorDots.dots(true, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, rolled, cOff, ldc);
                VectorDots.dots(false, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, unrolled, cOff, ldc);
                String what = Arrays.toString(s) + " alpha=" + alpha + " beta=" + beta;
                assertArrayEquals(unrolled, rolled, what);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double dot = 0, abs = 0;
                        for (int p = 0; p < k; p++) {
                            double x = (double) a[aOff + i * lda + p] * b[bOff + j * ldb + p];
                            dot += x;
                            abs += Math.abs(x);
                        }
                        double old = c0[cOff + i * ldc + j];
                        double want = alpha * dot + beta * old;
                        double tol = 1e-5 * (Math.abs(alpha) * abs + Math.abs(beta * old)) + 1e-6;
                        assertEquals(want, rolled[cOff + i * ldc + j], tol, what + " at " + i + "," + j);
                    }
                }
                // the padding around C is left alone
                for (int i = 0; i < rolled.length; i++) {
                    int row = (i - cOff) / ldc, col = (i - cOff) % ldc;
                    if (i < cOff || row >= m || col >= n) assertEquals(c0[i], rolled[i], "outside C at " + i);
                }
            }
        }
    }

    @Test
    void eachLoopGivesTheSameBitsColdAndCompiled() {
        SplittableRandom r = new SplittableRandom(9);
        int[][] shapes = {{16, 150, 100}, {6, 25, 68}, {5, 7, 33}};      // 4 x 3, 3 x 4, both with tails
        for (boolean rolled : new boolean[] {true, false}) {
            for (int[] s : shapes) {
                int m = s[0], n = s[1], k = s[2];
                float[] a = random(r, m * k), b = random(r, n * k);
                float[] first = new float[m * n], c = new float[m * n];
                VectorDots.dots(rolled, m, n, k, 1f, a, 0, k, b, 0, k, 0f, first, 0, n);
                for (int rep = 0; rep < 4000; rep++) VectorDots.dots(rolled, m, n, k, 1f, a, 0, k, b, 0, k, 0f, c, 0, n);
                assertArrayEquals(first, c, Arrays.toString(s) + " rolled=" + rolled);
            }
        }
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
        return x;
    }
}
