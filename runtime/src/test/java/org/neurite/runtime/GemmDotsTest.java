package org.neurite.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.neurite.runtime.gemm.Gemm;

/**
 * The dot-product path (A B^T with a small C and a long k: a convolution's filter gradient):
 * both block shapes (3 x 4 and 4 x 3), every k % 16 tail, edges of 1-3 rows or columns, and
 * infinities next to the tail step, which re-reads elements the main loop already took.
 */
class GemmDotsTest {
    /** m, n, k: all go to the dots path (C <= 640 cells, or k >= 384 and C <= 4096). */
    static Stream<int[]> shapes() {
        return Stream.of(
                new int[] {16, 150, 408},   // LeNet conv2 dW over 3 samples: 4 x 3 blocks, tail 8
                new int[] {6, 25, 1784},    // LeNet conv1 dW over 2 samples: 3 x 4 blocks, tail 8
                new int[] {16, 150, 400},   // no tail
                new int[] {5, 7, 33}, new int[] {4, 3, 47}, new int[] {1, 1, 40}, new int[] {2, 9, 63},
                new int[] {13, 11, 400}, new int[] {9, 4, 385}, new int[] {3, 150, 390}, new int[] {17, 5, 95});
    }

    static Stream<Object[]> cases() {
        return shapes().flatMap(s -> Stream.of(Gemm.best(), Gemm.scalar()).flatMap(e -> Stream.of(
                new Object[] {e, new GemmTest.Case(false, true, s[0], s[1], s[2], 1f, 0f, 0)},
                new Object[] {e, new GemmTest.Case(false, true, s[0], s[1], s[2], -1.5f, 0.5f, 3)})));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesDoubleReference(Gemm engine, GemmTest.Case cs) {
        GemmTest.check(cs, (a, lda, b, ldb, c, ldc, off) -> engine.sgemm(false, true, cs.m(), cs.n(), cs.k(),
                cs.alpha(), a, off, lda, b, off + 1, ldb, cs.beta(), c, off + 2, ldc));
    }

    /**
     * k = 40: the main loop takes [0, 32), the tail step reads [24, 40) with [24, 32) zeroed. An
     * infinity at 28 must count once: +inf, not NaN (0 * inf) and not lost.
     */
    @Test
    void infinityBesideTheTailIsCountedOnce() {
        for (Gemm engine : new Gemm[] {Gemm.best(), Gemm.scalar()}) {
            int m = 3, n = 4, k = 40;
            float[] a = new float[m * k];
            float[] b = new float[n * k];
            java.util.Arrays.fill(a, 1f);
            java.util.Arrays.fill(b, 0.5f);
            b[2 * k + 28] = Float.POSITIVE_INFINITY;   // row 2 of B: column 2 of C
            a[1 * k + 30] = Float.NaN;                   // row 1 of A: row 1 of C
            float[] c = new float[m * n];
            engine.sgemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, c, 0, n);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float v = c[i * n + j];
                    String at = engine + " C[" + i + "][" + j + "]";
                    if (i == 1) assertTrue(Float.isNaN(v), at + " = " + v + ", expected NaN");
                    else if (j == 2) assertEquals(Float.POSITIVE_INFINITY, v, at);
                    else assertEquals(20f, v, at);
                }
            }
        }
    }
}
