package org.neurite.layers.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The flat transform loops of {@link Winograd} on the Vector API (loaded only when
 * jdk.incubator.vector is present). C2 leaves the plain loops scalar: their loads and stores
 * share float[] types it cannot prove apart (4.7 ms per 16@32x32 batch-64 input transform).
 * Each loop is d0..d3 -> four outputs; tails are masked.
 */
final class WinogradVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();

    private WinogradVector() { }

    /**
     * For i in [0, n), with d0 = a[a0+i], d1 = a[a1+i], d2 = a[a0+s+i], d3 = a[a1+s+i]:
     * o0 = d0 - d2, o1 = d1 + d2, o2 = d2 - d1, o3 = d1 - d3 (B^T applied to 4 values).
     */
    static void bt(int n, float[] a, int a0, int a1, int s, float[] o, int o0, int o1, int o2, int o3) {
        int i = 0;
        for (; i <= n - V; i += V) {
            FloatVector d0 = FloatVector.fromArray(S, a, a0 + i), d1 = FloatVector.fromArray(S, a, a1 + i);
            FloatVector d2 = FloatVector.fromArray(S, a, a0 + s + i), d3 = FloatVector.fromArray(S, a, a1 + s + i);
            d0.sub(d2).intoArray(o, o0 + i);
            d1.add(d2).intoArray(o, o1 + i);
            d2.sub(d1).intoArray(o, o2 + i);
            d1.sub(d3).intoArray(o, o3 + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector d0 = FloatVector.fromArray(S, a, a0 + i, m), d1 = FloatVector.fromArray(S, a, a1 + i, m);
            FloatVector d2 = FloatVector.fromArray(S, a, a0 + s + i, m), d3 = FloatVector.fromArray(S, a, a1 + s + i, m);
            d0.sub(d2).intoArray(o, o0 + i, m);
            d1.add(d2).intoArray(o, o1 + i, m);
            d2.sub(d1).intoArray(o, o2 + i, m);
            d1.sub(d3).intoArray(o, o3 + i, m);
        }
    }

    /**
     * For i in [0, n), with m_xi = m[off + xi*stride + i]: the 2x2 outputs A^T M A + bias into
     * t[i], t[n+i], t[2n+i], t[3n+i]; A^T = [1 1 1 0; 0 1 -1 -1].
     */
    static void at(int n, float[] m, int off, int stride, float[] t, float bias) {
        int i = 0;
        for (; i <= n - V; i += V) at(m, off + i, stride, t, i, n, bias, null);
        if (i < n) at(m, off + i, stride, t, i, n, bias, S.indexInRange(i, n));
    }

    private static FloatVector load(float[] a, int o, VectorMask<Float> mask) {
        return mask == null ? FloatVector.fromArray(S, a, o) : FloatVector.fromArray(S, a, o, mask);
    }

    private static void store(FloatVector v, float[] a, int o, VectorMask<Float> mask) {
        if (mask == null) {
            v.intoArray(a, o);
        } else {
            v.intoArray(a, o, mask);
        }
    }

    private static void at(float[] m, int o, int st, float[] t, int i, int n, float bias, VectorMask<Float> k) {
        // rows of A^T M, column by column: s_j = m0j + m1j + m2j, u_j = m1j - m2j - m3j
        FloatVector m1 = load(m, o + 4 * st, k), m2 = load(m, o + 8 * st, k);
        FloatVector s0 = load(m, o, k).add(m1).add(m2), u0 = m1.sub(m2).sub(load(m, o + 12 * st, k));
        m1 = load(m, o + 5 * st, k);
        m2 = load(m, o + 9 * st, k);
        FloatVector s1 = load(m, o + st, k).add(m1).add(m2), u1 = m1.sub(m2).sub(load(m, o + 13 * st, k));
        m1 = load(m, o + 6 * st, k);
        m2 = load(m, o + 10 * st, k);
        FloatVector s2 = load(m, o + 2 * st, k).add(m1).add(m2), u2 = m1.sub(m2).sub(load(m, o + 14 * st, k));
        m1 = load(m, o + 7 * st, k);
        m2 = load(m, o + 11 * st, k);
        FloatVector s3 = load(m, o + 3 * st, k).add(m1).add(m2), u3 = m1.sub(m2).sub(load(m, o + 15 * st, k));
        store(s0.add(s1).add(s2).add(bias), t, i, k);
        store(s1.sub(s2).sub(s3).add(bias), t, n + i, k);
        store(u0.add(u1).add(u2).add(bias), t, 2 * n + i, k);
        store(u1.sub(u2).sub(u3).add(bias), t, 3 * n + i, k);
    }
}
