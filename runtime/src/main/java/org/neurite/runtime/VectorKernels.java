package org.neurite.runtime;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API bodies of {@link Kernels}' select loops. C2 compiles a float select such as
 * {@code x > 0 ? g : 0} to a branch (x86 has no conditional move for float registers), and on
 * ReLU data the branch is a coin flip: 2.7 ns per element measured, against 0.17 ns here with a
 * compare and a blend. Loaded only when the jdk.incubator.vector module is present.
 */
final class VectorKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();

    /** Lane i to lane i ^ half (identity where that is out of range): the lane-sum tree of {@link #rowSum}. */
    private static final VectorShuffle<Float> SWAP8 = swap(8), SWAP4 = swap(4), SWAP2 = swap(2), SWAP1 = swap(1);

    private VectorKernels() { }

    private static VectorShuffle<Float> swap(int half) {
        return VectorShuffle.fromOp(S, i -> (i ^ half) < V ? i ^ half : i);
    }

    /** dx = x > 0 ? g : 0 over n elements (NaN x gives 0). */
    static void reluBackward(int n, float[] x, int xOff, float[] g, int gOff, float[] dx, int dxOff) {
        FloatVector zero = FloatVector.zero(S);
        int j = 0;
        for (; j <= n - V; j += V) {
            FloatVector xv = FloatVector.fromArray(S, x, xOff + j);
            FloatVector gv = FloatVector.fromArray(S, g, gOff + j);
            zero.blend(gv, xv.compare(VectorOperators.GT, 0f)).intoArray(dx, dxOff + j);
        }
        if (j == n) return;
        // Masked, not scalar: a scalar tail would bring the branch back (10-pixel rows). But a
        // masked access whose full vector would run past the end of its array takes the Vector
        // API's slow path (lane-by-lane checks, allocation): once per conv chunk, at its last row.
        if (xOff + j + V > x.length || gOff + j + V > g.length || dxOff + j + V > dx.length) {
            Kernels.reluBackwardScalar(n - j, x, xOff + j, g, gOff + j, dx, dxOff + j);
        } else {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector xv = FloatVector.fromArray(S, x, xOff + j, m);
            FloatVector gv = FloatVector.fromArray(S, g, gOff + j, m);
            zero.blend(gv, xv.compare(VectorOperators.GT, 0f).and(m)).intoArray(dx, dxOff + j, m);
        }
    }

    /** y = x + bias, max(., 0) when relu, over n elements; the tail masked as {@link #reluBackward}'s. */
    static void addBias(int n, float[] x, int xOff, float bias, boolean relu, float[] y, int yOff) {
        FloatVector b = FloatVector.broadcast(S, bias), zero = FloatVector.zero(S);
        int j = 0;
        for (; j <= n - V; j += V) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + j).add(b);
            (relu ? v.max(zero) : v).intoArray(y, yOff + j);
        }
        if (j == n) return;
        if (xOff + j + V > x.length || yOff + j + V > y.length) {
            Kernels.addBiasScalar(n - j, x, xOff + j, bias, relu, y, yOff + j);
        } else {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector v = FloatVector.fromArray(S, x, xOff + j, m).add(b);
            (relu ? v.max(zero) : v).intoArray(y, yOff + j, m);
        }
    }

    /** See {@link Kernels#rowSum}: one lane accumulator, the tail masked (scalar where a whole vector would leave x). */
    static double rowSum(int n, float[] x, int off) {
        FloatVector acc = FloatVector.zero(S);
        int j = 0;
        for (; j <= n - V; j += V) acc = acc.add(FloatVector.fromArray(S, x, off + j));
        double tail = 0;
        if (j < n) {
            if (off + j + V <= x.length) acc = acc.add(FloatVector.fromArray(S, x, off + j, S.indexInRange(j, n)));
            else tail = Kernels.rowSumScalar(n - j, x, off + j);
        }
        return lanes(acc) + tail;
    }

    /** See {@link Kernels#reluRowSum}: {@link #rowSum}'s lanes over the selected values. */
    static double reluRowSum(int n, float[] x, int xOff, float[] g, int gOff) {
        FloatVector acc = FloatVector.zero(S), zero = FloatVector.zero(S);
        int j = 0;
        for (; j <= n - V; j += V) {
            FloatVector xv = FloatVector.fromArray(S, x, xOff + j);
            acc = acc.add(zero.blend(FloatVector.fromArray(S, g, gOff + j), xv.compare(VectorOperators.GT, 0f)));
        }
        double tail = 0;
        if (j < n) {
            if (xOff + j + V <= x.length && gOff + j + V <= g.length) {
                VectorMask<Float> m = S.indexInRange(j, n);
                FloatVector xv = FloatVector.fromArray(S, x, xOff + j, m);
                acc = acc.add(zero.blend(FloatVector.fromArray(S, g, gOff + j, m), xv.compare(VectorOperators.GT, 0f).and(m)));
            } else {
                tail = Kernels.reluRowSumScalar(n - j, x, xOff + j, g, gOff + j);
            }
        }
        return lanes(acc) + tail;
    }

    /** The lanes' sum by a fixed tree (reduceLanes' order differs between C2 and the interpreter). */
    private static float lanes(FloatVector acc) {
        if (V >= 16) acc = acc.add(acc.rearrange(SWAP8));
        if (V >= 8) acc = acc.add(acc.rearrange(SWAP4));
        if (V >= 4) acc = acc.add(acc.rearrange(SWAP2));
        if (V >= 2) acc = acc.add(acc.rearrange(SWAP1));
        return acc.lane(0);
    }
}
