package org.neurite.layers.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * A row split into its even and odd elements with two-vector shuffles, for the copies of a
 * stride-2 convolution's input ({@link ShiftedPlanes}) and Winograd's input tiles
 * ({@link WinogradVector}), and two rows interleaved back into one (the input gradient's phases,
 * {@link PhasedData}; Winograd's output pixels). Loaded only with the Vector API. One
 * scalar load and store per element took 6.4 us per 16-channel 32x32 sample, the shuffles 3.1.
 */
final class EvenOddVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    // indexes past V pick from the second vector
    static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(S, i -> 2 * i), ODD = VectorShuffle.fromOp(S, i -> 2 * i + 1);
    private static final VectorShuffle<Float> ZIP_LO = VectorShuffle.fromOp(S, i -> i % 2 == 0 ? i / 2 : V + i / 2);
    private static final VectorShuffle<Float> ZIP_HI = VectorShuffle.fromOp(S, i -> i % 2 == 0 ? V / 2 + i / 2 : V + V / 2 + i / 2);

    private EvenOddVector() { }

    /** even[eOff + j] = x[xOff + 2j], odd[oOff + j] = x[xOff + 2j + 1] for j < n. */
    static void split(float[] x, int xOff, float[] even, int eOff, float[] odd, int oOff, int n) {
        int j = 0;
        for (; j + V <= n; j += V) {
            FloatVector a = FloatVector.fromArray(S, x, xOff + 2 * j), b = FloatVector.fromArray(S, x, xOff + 2 * j + V);
            a.rearrange(EVEN, b).intoArray(even, eOff + j);
            a.rearrange(ODD, b).intoArray(odd, oOff + j);
        }
        for (; j < n; j++) {
            even[eOff + j] = x[xOff + 2 * j];
            odd[oOff + j] = x[xOff + 2 * j + 1];
        }
    }

    /** The inverse of {@link #split}: x[xOff + 2j] = even[eOff + j], x[xOff + 2j + 1] = odd[oOff + j] for j < n. */
    static void merge(float[] even, int eOff, float[] odd, int oOff, float[] x, int xOff, int n) {
        int j = 0;
        for (; j + V <= n; j += V) interleave(FloatVector.fromArray(S, even, eOff + j), FloatVector.fromArray(S, odd, oOff + j), x, xOff + 2 * j);
        for (; j < n; j++) {
            x[xOff + 2 * j] = even[eOff + j];
            x[xOff + 2 * j + 1] = odd[oOff + j];
        }
    }

    /** x[xOff + 2j] = even lane j, x[xOff + 2j + 1] = odd lane j: 2V floats. */
    static void interleave(FloatVector even, FloatVector odd, float[] x, int xOff) {
        interleave(even, odd, x, xOff, xOff + V);
    }

    /** {@link #interleave} with the lanes from the first half of each at x[lo..], the second half's at x[hi..] (V floats each). */
    static void interleave(FloatVector even, FloatVector odd, float[] x, int lo, int hi) {
        even.rearrange(ZIP_LO, odd).intoArray(x, lo);
        even.rearrange(ZIP_HI, odd).intoArray(x, hi);
    }
}
