package org.neurite.runtime.gemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The 5-row kernel (16-register machines) and the 8-row kernel (32-register, 512-bit machines)
 * give the same bits as the 6-row kernel on every path of the blocked loop: full tiles, short and scratch bottom edges, narrow and ragged right edges, both
 * transposes, B packed and read in place, beta 0, 1 and other; and both match a double reference.
 */
class MicroKernelVariantsTest {
    @Test void fiveRowsGiveTheSixRowKernelsBits() {
        assertSameBitsAsSixRows(() -> new FiveRowVectorKernel());
    }

    @Test void eightRowsGiveTheSixRowKernelsBits() {
        assertSameBitsAsSixRows(() -> new EightRowVectorKernel());
    }

    /** The kernel comes through a supplier so that it is not loaded when the module is absent. */
    private static void assertSameBitsAsSixRows(java.util.function.Supplier<MicroKernel> variant) {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "the Vector API module is not loaded (run with --add-modules jdk.incubator.vector)");
        BlockedGemm five = new BlockedGemm(variant.get(), 120, 256, 2048);
        BlockedGemm six = new BlockedGemm(VectorMicroKernel.sixRows(), 120, 256, 2048);
        int[][] shapes = {{16, 408, 150}, {16, 1088, 144}, {32, 300, 288}, {5, 64, 33}, {4, 96, 7}, {1, 64, 20},
            {3, 70, 5}, {20, 96, 40}, {13, 80, 30}, {7, 33, 12}, {14, 200, 1100}, {130, 100, 64}, {6, 17, 9}, {64, 72, 576}};
        SplittableRandom r = new SplittableRandom(11);
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            for (int t = 0; t < 4; t++) {
                boolean transA = (t & 1) != 0, transB = (t & 2) != 0;
                for (boolean directB : new boolean[] {false, true}) {
                    if (directB && transB) continue;
                    for (float beta : new float[] {0f, 1f, 0.5f}) {
                        float[] a = random(r, m * k), b = random(r, k * n), c0 = random(r, m * n);
                        float[] c5 = c0.clone(), c6 = c0.clone();
                        int lda = transA ? m : k, ldb = transB ? k : n;
                        five.run(transA, transB, directB, 0, m, 0, n, k, 1.25f, a, 0, lda, b, 0, ldb, beta, c5, 0, n);
                        six.run(transA, transB, directB, 0, m, 0, n, k, 1.25f, a, 0, lda, b, 0, ldb, beta, c6, 0, n);
                        String what = java.util.Arrays.toString(s) + " transA=" + transA + " transB=" + transB
                                + " directB=" + directB + " beta=" + beta;
                        assertArrayEquals(c6, c5, what);
                        for (int i = 0; i < m; i += 7) {
                            for (int j = 0; j < n; j += 5) {
                                double dot = 0, abs = 0;
                                for (int p = 0; p < k; p++) {
                                    double x = (double) (transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]);
                                    dot += x;
                                    abs += Math.abs(x);
                                }
                                double want = 1.25 * dot + beta * c0[i * n + j];
                                assertEquals(want, c5[i * n + j], 1e-5 * (abs + Math.abs(c0[i * n + j])) + 1e-6, what + " at " + i + "," + j);
                            }
                        }
                    }
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
