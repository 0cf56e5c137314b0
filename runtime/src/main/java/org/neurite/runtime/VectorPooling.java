package org.neurite.runtime;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API body of {@link Kernels#maxPool2x2}: 2 x 2 windows, stride 2, no padding (LeNet,
 * VGG). Per output row, V outputs at a time: the two input rows are loaded as 2V floats each and
 * split into their even and odd columns (the four taps of V windows), then the taps are merged
 * in the scalar order with compare + blend + max: no branch, where the scalar select on the
 * argmax is a branch C2 mispredicts on ReLU data (7-10 ns per output measured on LeNet).
 * Loaded only when the jdk.incubator.vector module is present.
 */
final class VectorPooling {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = S.withLanes(int.class);
    private static final int V = S.length();
    /** Lane j takes lane (2j) mod V: the even columns of a vector, twice over. */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(S, j -> (2 * j) % V);
    /** Lane j takes lane (2j + 1) mod V: the odd columns. */
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(S, j -> (2 * j + 1) % V);
    /** The upper half of the lanes: there the even (odd) columns come from the second vector. */
    private static final VectorMask<Float> UPPER = VectorMask.fromLong(S, -1L << (V / 2));
    /** 0, 2, 4, ...: the plane index of each window's top-left tap, less the first one's. */
    private static final IntVector TWICE_IOTA = IntVector.zero(I).addIndex(2);

    private VectorPooling() { }

    /** See {@link Kernels#maxPool2x2}. */
    static void maxPool2x2(int oh, int ow, int w, float[] x, int xOff, float[] y, int yOff, int[] arg, int argOff) {
        for (int oy = 0; oy < oh; oy++) {
            int base = 2 * oy * w;              // plane index of the row's first top-left tap
            int top = xOff + base;
            int o = yOff + oy * ow, ao = argOff + oy * ow;
            for (int ox = 0; ox < ow; ox += V) {
                int n = Math.min(V, ow - ox);
                // Full vectors only inside the arrays (a load may read past the row, not past x):
                // the Vector API's masked out-of-array accesses take a slow path.
                if (top + w + 2 * ox + 2 * V > x.length || o + ox + V > y.length || ao + ox + V > arg.length) {
                    Kernels.maxPool2x2Scalar(n, x, top + 2 * ox, w, base + 2 * ox, y, o + ox, arg, ao + ox);
                    continue;
                }
                windows(n, x, top + 2 * ox, w, base + 2 * ox, y, o + ox, arg, ao + ox);
            }
        }
    }

    /** n (1..V) windows whose top-left taps are x[t], x[t+2] ...; plane index i of the first. */
    private static void windows(int n, float[] x, int t, int w, int i, float[] y, int yo, int[] arg, int ao) {
        FloatVector lo = FloatVector.fromArray(S, x, t), hi = FloatVector.fromArray(S, x, t + V);
        FloatVector t00 = lo.rearrange(EVEN).blend(hi.rearrange(EVEN), UPPER);
        FloatVector t01 = lo.rearrange(ODD).blend(hi.rearrange(ODD), UPPER);
        lo = FloatVector.fromArray(S, x, t + w);
        hi = FloatVector.fromArray(S, x, t + w + V);
        FloatVector t10 = lo.rearrange(EVEN).blend(hi.rearrange(EVEN), UPPER);
        FloatVector t11 = lo.rearrange(ODD).blend(hi.rearrange(ODD), UPPER);
        // As the scalar loop: the first tap, then each later one wins only if strictly greater
        // (NaN never wins the argmax); max() propagates NaN like Math.max.
        IntVector i00 = TWICE_IOTA.add(i);
        FloatVector m = t00;
        IntVector a = i00;
        a = a.blend(i00.add(1), t01.compare(VectorOperators.GT, m).cast(I));
        m = m.max(t01);
        a = a.blend(i00.add(w), t10.compare(VectorOperators.GT, m).cast(I));
        m = m.max(t10);
        a = a.blend(i00.add(w + 1), t11.compare(VectorOperators.GT, m).cast(I));
        m = m.max(t11);
        if (n == V) {
            m.intoArray(y, yo);
            a.intoArray(arg, ao);
        } else {
            VectorMask<Float> k = S.indexInRange(0, n);
            m.intoArray(y, yo, k);
            a.intoArray(arg, ao, k.cast(I));
        }
    }
}
