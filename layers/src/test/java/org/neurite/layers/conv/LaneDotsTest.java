package org.neurite.layers.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both block shapes of the lane-kept dot products (4 x 3 for 32-register machines, 4 x 2 for
 * 16-register ones; a machine runs only one in training) against dot products in double, with
 * edges in both dimensions, a k tail, offsets and strides, and accumulation over two calls.
 */
class LaneDotsTest {
    @ParameterizedTest(name = "{0}x{1}, k = {2}, 4x3 blocks: {3}")
    @CsvSource({"16, 150, 408, true", "16, 150, 408, false", "7, 11, 45, true", "7, 11, 45, false",
                "4, 3, 16, true", "5, 2, 3, false", "16, 144, 1086, true", "16, 144, 1086, false"})
    void matchesDoubleDotProducts(int m, int n, int k, boolean wide) {
        assumeTrue(LaneDots.AVAILABLE, "the Vector API module is not loaded (run with --add-modules jdk.incubator.vector)");
        int lda = k + 3, ldb = k + 5, aOff = 2, bOff = 7, lOff = 4, v = LaneDotsVector.V;
        SplittableRandom rnd = new SplittableRandom(m * 1000L + n * 10L + k);
        float[] a = new float[aOff + m * lda], b = new float[bOff + n * ldb];
        for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextDouble(-1, 1);
        for (int i = 0; i < b.length; i++) b[i] = (float) rnd.nextDouble(-1, 1);
        float[] lanes = new float[lOff + m * n * v];
        LaneDotsVector.accumulate(m, n, k, a, aOff, lda, b, bOff, ldb, null, lanes, lOff, wide);
        LaneDotsVector.accumulate(m, n, k, a, aOff, lda, b, bOff, ldb, null, lanes, lOff, wide);   // += a second time
        float[] out = new float[m * n];
        float[] shifted = new float[m * n * v];
        System.arraycopy(lanes, lOff, shifted, 0, shifted.length);
        LaneDots.fold(m * n, shifted, out);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0, abs = 0;
                for (int p = 0; p < k; p++) {
                    double x = (double) a[aOff + i * lda + p] * b[bOff + j * ldb + p];
                    dot += x;
                    abs += Math.abs(x);
                }
                assertEquals(2 * dot, out[i * n + j], 2 * abs * 1e-6 + 1e-7, "cell (" + i + ", " + j + ")");
            }
        }
    }
}
