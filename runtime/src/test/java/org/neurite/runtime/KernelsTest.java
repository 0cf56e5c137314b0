package org.neurite.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Vector API select loops of {@link Kernels} against their scalar loops, bit for bit, for
 * every length around the vector width and with the tail at the very end of its array (where a
 * full-width masked access would leave the array).
 */
class KernelsTest {
    private static final float[] VALUES = {0f, -0f, 1f, -1f, 2f, 0.5f, Float.NaN, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, 1f, 0f};

    @Test void reluBackwardMatchesTheScalarLoop() {
        SplittableRandom r = new SplittableRandom(5);
        for (int n = 0; n <= 70; n++) {
            for (int off : new int[] {0, 3}) {
                int room = n % 2 == 0 ? 20 : 0;     // a whole vector past n (the masked tail), or none (the scalar one)
                float[] x = values(r, off + n + room), g = values(r, off + n + room);
                float[] dx = new float[off + n + room], ref = new float[off + n + room];
                Kernels.reluBackward(n, x, off, g, off, dx, off);
                Kernels.reluBackwardScalar(n, x, off, g, off, ref, off);
                assertBitsEqual(ref, dx, "reluBackward n=" + n + " off=" + off);
            }
        }
    }

    @Test void addBiasMatchesTheScalarLoopAndLeavesTheRestOfTheRow() {
        SplittableRandom r = new SplittableRandom(7);
        for (int n = 0; n <= 70; n++) {
            for (int off : new int[] {0, 3}) {
                for (boolean relu : new boolean[] {false, true}) {
                    // room for a whole vector past n in both (the masked tail), and none (the scalar one)
                    int room = n % 2 == 0 ? 20 : 0;
                    float[] x = values(r, off + n + 5 + room);
                    float[] y = new float[off + n + room], ref = new float[off + n + room];
                    java.util.Arrays.fill(y, 7f);       // past n: another row's pixels, never written
                    java.util.Arrays.fill(ref, 7f);
                    Kernels.addBias(n, x, off + 5, 0.25f, relu, y, off);
                    Kernels.addBiasScalar(n, x, off + 5, 0.25f, relu, ref, off);
                    assertBitsEqual(ref, y, "addBias n=" + n + " off=" + off + " relu=" + relu);
                }
            }
        }
        float[] x = {-1f, 2f, Float.NaN, -0.25f}, y = new float[4];
        Kernels.addBias(4, x, 0, 0.25f, true, y, 0);
        assertBitsEqual(new float[] {0f, 2.25f, Float.NaN, 0f}, y, "by hand, ReLU");
        Kernels.addBias(4, x, 0, 0.25f, false, x, 0);
        assertBitsEqual(new float[] {-0.75f, 2.25f, Float.NaN, 0f}, x, "by hand, in place");
    }

    @Test void rowSumMatchesTheDoubleSum() {
        SplittableRandom r = new SplittableRandom(8);
        for (int n = 0; n <= 70; n++) {
            for (int room : new int[] {0, 20}) {        // the tail masked, or scalar at the array's end
                float[] x = new float[3 + n + room];
                double exact = 0;
                for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
                for (int i = 3; i < 3 + n; i++) exact += x[i];
                assertEquals(exact, Kernels.rowSum(n, x, 3), 1e-6 * (n + 1), "rowSum n=" + n + " room=" + room);
                assertEquals(exact, Kernels.rowSumScalar(n, x, 3), 1e-6 * (n + 1), "scalar rowSum n=" + n);
            }
        }
        for (int n = 0; n <= 70; n++) {
            for (int room : new int[] {0, 20}) {
                float[] x = values(r, n + room), g = values(r, n + room), dx = new float[n + room];
                Kernels.reluBackward(n, x, 0, g, 0, dx, 0);
                String what = "reluRowSum n=" + n + " room=" + room;
                assertEquals(Kernels.rowSum(n, dx, 0), Kernels.reluRowSum(n, x, 0, g, 0), 0.0, what + ": the sum of reluBackward's values");
                assertEquals(Kernels.rowSumScalar(n, dx, 0), Kernels.reluRowSumScalar(n, x, 0, g, 0), 0.0, what + ", scalar");
            }
        }
        float[] ones = new float[40];
        java.util.Arrays.fill(ones, 0.5f);
        ones[39] = 1e6f;                                 // past n: never read
        assertEquals(19.5, Kernels.rowSum(39, ones, 0), 0.0, "39 halves");
    }

    @Test void maxPool2x2MatchesTheScalarLoop() {
        SplittableRandom r = new SplittableRandom(6);
        for (int ow = 1; ow <= 40; ow++) {
            for (int oh : new int[] {1, 3}) {
                for (int extraW : new int[] {0, 1}) {   // an odd width leaves its last column out
                    int w = 2 * ow + extraW, h = 2 * oh;
                    int xOff = 2, yOff = 1;
                    float[] x = values(r, xOff + h * w);
                    float[] y = new float[yOff + oh * ow], yRef = new float[yOff + oh * ow];
                    int[] arg = new int[yOff + oh * ow], argRef = new int[yOff + oh * ow];
                    Kernels.maxPool2x2(oh, ow, w, x, xOff, y, yOff, arg, yOff);
                    for (int oy = 0; oy < oh; oy++) {
                        Kernels.maxPool2x2Scalar(ow, x, xOff + 2 * oy * w, w, 2 * oy * w, yRef, yOff + oy * ow,
                                argRef, yOff + oy * ow);
                    }
                    String what = "maxPool2x2 oh=" + oh + " ow=" + ow + " w=" + w;
                    assertBitsEqual(yRef, y, what);
                    for (int i = 0; i < arg.length; i++) assertEquals(argRef[i], arg[i], what + ": argmax " + i);
                }
            }
        }
    }

    private static float[] values(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = r.nextInt(4) == 0 ? (float) r.nextGaussian() : VALUES[r.nextInt(VALUES.length)];
        return v;
    }

    private static void assertBitsEqual(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    what + ": index " + i + " expected " + expected[i] + " got " + actual[i]);
        }
    }
}
