package org.neurite.runtime.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Packed panels hold exactly the values their layout names, for every panel height the kernels use. */
class PackingTest {

    @Test void packAMatchesItsDefinition() {
        Random rng = new Random(3);
        for (int mr : new int[] {4, 5, 6, 8}) {
            for (boolean transA : new boolean[] {false, true}) {
                // whole panels and a ragged last one, inside a larger matrix (offsets, lda > width)
                int m = 37, k = 70, i0 = 3, rows = 29, p0 = 5, kc = 61, lda = transA ? m + 4 : k + 3, aOff = 7;
                float[] a = new float[aOff + (transA ? k : m) * lda];
                for (int i = 0; i < a.length; i++) a[i] = rng.nextFloat() - 0.5f;
                int panels = (rows + mr - 1) / mr;
                float[] dst = new float[panels * kc * mr];
                java.util.Arrays.fill(dst, Float.NaN);
                Packing.packA(transA, a, aOff, lda, i0, rows, p0, kc, mr, dst);
                for (int q = 0; q < panels; q++) {
                    for (int p = 0; p < kc; p++) {
                        for (int r = 0; r < mr; r++) {
                            int i = i0 + q * mr + r;
                            float expected = q * mr + r >= rows ? 0f
                                    : transA ? a[aOff + (p0 + p) * lda + i] : a[aOff + i * lda + p0 + p];
                            assertEquals(expected, dst[q * kc * mr + p * mr + r], "mr " + mr + " transA " + transA + " panel " + q + " p " + p + " r " + r);
                        }
                    }
                }
            }
        }
    }
}
