package org.neurite.layers.norm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API bodies of {@link BatchNormRows}; loaded only when jdk.incubator.vector is present.
 * Tails are masked, not scalar. Lanes are added by a fixed tree of shuffles and lane-wise adds
 * (as runtime's VectorMicroKernel.sum), never by {@code reduceLanes}, whose order differs between
 * C2's intrinsic and the interpreter (see docs/PERFORMANCE.md, determinism fix); a store to a
 * thread-local array and 16 scalar adds took 3% of a ResNet-20 step.
 */
final class BatchNormVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    private static final VectorShuffle<Float> SWAP8 = swap(8), SWAP4 = swap(4), SWAP2 = swap(2), SWAP1 = swap(1);

    private BatchNormVector() { }

    /** The lanes of v summed pairwise in a fixed tree (constant shuffles: C2 intrinsifies them). */
    private static double lanes(FloatVector v) {
        if (V >= 16) v = v.add(v.rearrange(SWAP8));
        if (V >= 8) v = v.add(v.rearrange(SWAP4));
        if (V >= 4) v = v.add(v.rearrange(SWAP2));
        if (V >= 2) v = v.add(v.rearrange(SWAP1));
        return v.lane(0);
    }

    /** The shuffle taking lane i to lane i ^ half (identity where that is out of range). */
    private static VectorShuffle<Float> swap(int half) {
        int[] idx = new int[V];
        for (int i = 0; i < V; i++) idx[i] = (i ^ half) < V ? i ^ half : i;
        return VectorShuffle.fromArray(S, idx, 0);
    }

    static double sum(float[] x, int off, int n) {
        FloatVector acc = FloatVector.zero(S);
        int j = 0;
        for (; j <= n - V; j += V) acc = acc.add(FloatVector.fromArray(S, x, off + j));
        if (j < n) acc = acc.add(FloatVector.fromArray(S, x, off + j, S.indexInRange(j, n)));
        return lanes(acc);
    }

    static double sumSquaredDeviations(float[] x, int off, int n, float mean) {
        FloatVector acc = FloatVector.zero(S);
        int j = 0;
        for (; j <= n - V; j += V) {
            FloatVector d = FloatVector.fromArray(S, x, off + j).sub(mean);
            acc = d.fma(d, acc);
        }
        if (j < n) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector d = FloatVector.fromArray(S, x, off + j, m).sub(mean).blend(0f, m.not());
            acc = d.fma(d, acc);
        }
        return lanes(acc);
    }

    static void affine(float[] x, int xo, float[] y, int yo, int n, float scale, float shift, boolean relu) {
        int j = 0;
        for (; j <= n - V; j += V) {
            FloatVector v = FloatVector.fromArray(S, x, xo + j).fma(scale, shift);
            (relu ? v.max(0f) : v).intoArray(y, yo + j);
        }
        if (j < n) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector v = FloatVector.fromArray(S, x, xo + j, m).fma(scale, shift);
            (relu ? v.max(0f) : v).intoArray(y, yo + j, m);
        }
    }

    /** g = dy, or dy where y > 0 and 0 elsewhere; lanes outside m are 0. */
    private static FloatVector grad(float[] dy, float[] y, int o, VectorMask<Float> m) {
        FloatVector d = FloatVector.fromArray(S, dy, o, m);
        if (y == null) return d.blend(0f, m.not());
        return FloatVector.zero(S).blend(d, FloatVector.fromArray(S, y, o, m).compare(VectorOperators.GT, 0f).and(m));
    }

    private static FloatVector grad(float[] dy, float[] y, int o) {
        FloatVector d = FloatVector.fromArray(S, dy, o);
        if (y == null) return d;
        return FloatVector.zero(S).blend(d, FloatVector.fromArray(S, y, o).compare(VectorOperators.GT, 0f));
    }

    static void gradientSums(float[] dy, float[] y, int yo, float[] x, int xo, int n, float mu, double[] sums) {
        FloatVector s = FloatVector.zero(S), sx = FloatVector.zero(S);
        int j = 0;
        for (; j <= n - V; j += V) {
            FloatVector g = grad(dy, y, yo + j);
            s = s.add(g);
            sx = g.fma(FloatVector.fromArray(S, x, xo + j).sub(mu), sx);
        }
        if (j < n) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector g = grad(dy, y, yo + j, m);
            s = s.add(g);
            sx = g.fma(FloatVector.fromArray(S, x, xo + j, m).sub(mu), sx);
        }
        sums[0] += lanes(s);
        sums[1] += lanes(sx);
    }

    static void inputGradient(float[] dy, float[] y, int yo, float[] x, int xo, float[] dx, int n,
                              float k, float a, float b, float mu, boolean accumulate) {
        int j = 0;
        for (; j <= n - V; j += V) {
            FloatVector xm = FloatVector.fromArray(S, x, xo + j).sub(mu);
            FloatVector v = grad(dy, y, yo + j).sub(a).sub(xm.mul(b)).mul(k);
            if (accumulate) v = v.add(FloatVector.fromArray(S, dx, xo + j));
            v.intoArray(dx, xo + j);
        }
        if (j < n) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector xm = FloatVector.fromArray(S, x, xo + j, m).sub(mu);
            FloatVector v = grad(dy, y, yo + j, m).sub(a).sub(xm.mul(b)).mul(k);
            if (accumulate) v = v.add(FloatVector.fromArray(S, dx, xo + j, m));
            v.intoArray(dx, xo + j, m);
        }
    }

    // g = dy where x * scale + shift > 0 (as affine computes it), else 0 (and 0 outside the tail's
    // mask), written out at each use. As a helper taking and returning vectors it was not inlined
    // everywhere, and its blend ran in the Vector API's Java fallback through a whole W4 run (JFR:
    // 54 of 2,316 samples in FloatVector.blendTemplate under it; none written out).

    static void gradientSumsMaskedByX(float[] dy, int yo, float[] x, int xo, int n, float mu, float scale, float shift, double[] sums) {
        FloatVector s = FloatVector.zero(S), sx = FloatVector.zero(S);
        int j = 0;
        for (; j <= n - V; j += V) {
            FloatVector xv = FloatVector.fromArray(S, x, xo + j);
            FloatVector g = FloatVector.zero(S).blend(FloatVector.fromArray(S, dy, yo + j), xv.fma(scale, shift).compare(VectorOperators.GT, 0f));
            s = s.add(g);
            sx = g.fma(xv.sub(mu), sx);
        }
        if (j < n) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector xv = FloatVector.fromArray(S, x, xo + j, m);
            FloatVector g = FloatVector.zero(S).blend(FloatVector.fromArray(S, dy, yo + j, m), xv.fma(scale, shift).compare(VectorOperators.GT, 0f).and(m));
            s = s.add(g);
            sx = g.fma(xv.sub(mu), sx);
        }
        sums[0] += lanes(s);
        sums[1] += lanes(sx);
    }

    static void inputGradientMaskedByX(float[] dy, int yo, float[] x, int xo, float[] dx, int n, float k, float a, float b, float mu,
                                       float scale, float shift, boolean accumulate) {
        int j = 0;
        for (; j <= n - V; j += V) {
            FloatVector xv = FloatVector.fromArray(S, x, xo + j);
            FloatVector g = FloatVector.zero(S).blend(FloatVector.fromArray(S, dy, yo + j), xv.fma(scale, shift).compare(VectorOperators.GT, 0f));
            FloatVector v = g.sub(a).sub(xv.sub(mu).mul(b)).mul(k);
            if (accumulate) v = v.add(FloatVector.fromArray(S, dx, xo + j));
            v.intoArray(dx, xo + j);
        }
        if (j < n) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector xv = FloatVector.fromArray(S, x, xo + j, m);
            FloatVector g = FloatVector.zero(S).blend(FloatVector.fromArray(S, dy, yo + j, m), xv.fma(scale, shift).compare(VectorOperators.GT, 0f).and(m));
            FloatVector v = g.sub(a).sub(xv.sub(mu).mul(b)).mul(k);
            if (accumulate) v = v.add(FloatVector.fromArray(S, dx, xo + j, m));
            v.intoArray(dx, xo + j, m);
        }
    }
}
