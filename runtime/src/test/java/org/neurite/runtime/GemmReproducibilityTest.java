package org.neurite.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/**
 * The same GEMM gives the same bits before and after the JIT compiles it. A Vector API lane
 * reduction with an unspecified order once broke this (interpreter and C2 summed in different
 * orders), which made training irreproducible.
 */
class GemmReproducibilityTest {
    @Test void coldAndJitCompiledCallsAgreeBitForBit() {
        // Shapes of each path: the dot path (A*B^T, small C), the packed path, a LeNet backward shape.
        int[][] shapes = {{6, 25, 784}, {16, 150, 408}, {16, 150, 100}, {64, 120, 400}, {3, 7, 33}};
        boolean[][] trans = {{false, true}, {false, false}, {true, false}, {true, true}};
        Rng rng = new Rng(11);
        for (int[] s : shapes) {
            for (boolean[] t : trans) {
                int m = s[0], n = s[1], k = s[2];
                float[] a = new float[m * k];
                float[] b = new float[k * n];
                rng.uniform(a, 0, a.length, -1, 1);
                rng.uniform(b, 0, b.length, -1, 1);
                int lda = t[0] ? m : k;
                int ldb = t[1] ? k : n;
                float[] first = new float[m * n];
                Blas.sgemm(t[0], t[1], m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, first, 0, n);
                float[] c = new float[m * n];
                for (int rep = 0; rep < 3000; rep++) {
                    Blas.sgemm(t[0], t[1], m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
                }
                assertArrayEquals(first, c, "m=" + m + " n=" + n + " k=" + k + " transA=" + t[0] + " transB=" + t[1]);
            }
        }
    }
}
