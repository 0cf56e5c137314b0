package org.neurite.layers.rnn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RnnCells} with the Vector API: the same formulas, the same arguments, vectors along the
 * hidden units. Exp and tanh map to the JDK's vector math library (SVML on x86), about 0.5-1 ns
 * per element against 15-20 ns for {@code Math.exp}/{@code Math.tanh}: without it the gate
 * arithmetic, not the GEMMs, would dominate an LSTM step. Results agree with the plain kernels to
 * float rounding (a few ulp). Loaded only when the JVM has the {@code jdk.incubator.vector} module
 * ({@link RnnCpu#VECTOR}).
 */
final class RnnCellsVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private RnnCellsVector() { }

    private static FloatVector sigmoid(FloatVector x) {
        return FloatVector.broadcast(S, 1f).div(x.neg().lanewise(VectorOperators.EXP).add(1f));
    }

    private static FloatVector tanh(FloatVector x) {
        return x.lanewise(VectorOperators.TANH);
    }

    /** 1 - x^2, the derivative of tanh in terms of its value. */
    private static FloatVector oneMinusSquare(FloatVector x) {
        return x.neg().fma(x, FloatVector.broadcast(S, 1f));
    }

    private static FloatVector load(float[] a, int i) {
        return FloatVector.fromArray(S, a, i);
    }

    static void lstmForward(float[] a, int aOff, float[] c, int cIn, int cOut, float[] tc, int tcOff,
                            float[] h, int hOut, int hidden, int n0, int n1) {
        int gh = 4 * hidden;
        int bound = S.loopBound(hidden);
        for (int n = n0; n < n1; n++) {
            int ab = aOff + n * gh;
            int hb = n * hidden;
            for (int j = 0; j < bound; j += S.length()) {
                FloatVector i = sigmoid(load(a, ab + j));
                FloatVector f = sigmoid(load(a, ab + hidden + j));
                FloatVector g = tanh(load(a, ab + 2 * hidden + j));
                FloatVector o = sigmoid(load(a, ab + 3 * hidden + j));
                i.intoArray(a, ab + j);
                f.intoArray(a, ab + hidden + j);
                g.intoArray(a, ab + 2 * hidden + j);
                o.intoArray(a, ab + 3 * hidden + j);
                FloatVector cv = f.fma(load(c, cIn + hb + j), i.mul(g));
                FloatVector t = tanh(cv);
                cv.intoArray(c, cOut + hb + j);
                t.intoArray(tc, tcOff + hb + j);
                o.mul(t).intoArray(h, hOut + hb + j);
            }
        }
        if (bound < hidden) RnnCells.lstmForward(a, aOff, c, cIn, cOut, tc, tcOff, h, hOut, hidden, n0, n1, bound);
    }

    static void lstmBackward(float[] a, int aOff, float[] c, int cIn, float[] tc, int tcOff,
                             float[] dh, float[] dc, float[] dA, int dOff, int hidden, int n0, int n1) {
        int gh = 4 * hidden;
        int bound = S.loopBound(hidden);
        for (int n = n0; n < n1; n++) {
            int ab = aOff + n * gh;
            int db = dOff + n * gh;
            int hb = n * hidden;
            for (int j = 0; j < bound; j += S.length()) {
                FloatVector i = load(a, ab + j);
                FloatVector f = load(a, ab + hidden + j);
                FloatVector g = load(a, ab + 2 * hidden + j);
                FloatVector o = load(a, ab + 3 * hidden + j);
                FloatVector t = load(tc, tcOff + hb + j);
                FloatVector dhv = load(dh, hb + j);
                // dc' = dc + dh o (1 - t^2)
                FloatVector dcv = dhv.mul(o).mul(oneMinusSquare(t)).add(load(dc, hb + j));
                dcv.mul(g).mul(i).mul(i.neg().add(1f)).intoArray(dA, db + j);
                dcv.mul(load(c, cIn + hb + j)).mul(f).mul(f.neg().add(1f)).intoArray(dA, db + hidden + j);
                dcv.mul(i).mul(oneMinusSquare(g)).intoArray(dA, db + 2 * hidden + j);
                dhv.mul(t).mul(o).mul(o.neg().add(1f)).intoArray(dA, db + 3 * hidden + j);
                dcv.mul(f).intoArray(dc, hb + j);
            }
        }
        if (bound < hidden) RnnCells.lstmBackward(a, aOff, c, cIn, tc, tcOff, dh, dc, dA, dOff, hidden, n0, n1, bound);
    }

    static void gruForward(float[] a, int aOff, float[] p, float[] pn, int pnOff, float[] h, int hIn, int hOut,
                           int hidden, int n0, int n1) {
        int gh = 3 * hidden;
        int bound = S.loopBound(hidden);
        for (int n = n0; n < n1; n++) {
            int ab = aOff + n * gh;
            int pb = n * gh;
            int hb = n * hidden;
            for (int j = 0; j < bound; j += S.length()) {
                FloatVector r = sigmoid(load(a, ab + j).add(load(p, pb + j)));
                FloatVector z = sigmoid(load(a, ab + hidden + j).add(load(p, pb + hidden + j)));
                FloatVector pnv = load(p, pb + 2 * hidden + j);
                FloatVector nv = tanh(r.fma(pnv, load(a, ab + 2 * hidden + j)));
                r.intoArray(a, ab + j);
                z.intoArray(a, ab + hidden + j);
                nv.intoArray(a, ab + 2 * hidden + j);
                pnv.intoArray(pn, pnOff + hb + j);
                // (1 - z) n + z h = n + z (h - n)
                z.fma(load(h, hIn + hb + j).sub(nv), nv).intoArray(h, hOut + hb + j);
            }
        }
        if (bound < hidden) RnnCells.gruForward(a, aOff, p, pn, pnOff, h, hIn, hOut, hidden, n0, n1, bound);
    }

    static void gruBackward(float[] a, int aOff, float[] pn, int pnOff, float[] h, int hIn, float[] dh,
                            float[] dhDirect, float[] dA, float[] dP, int dOff, int hidden, int n0, int n1) {
        int gh = 3 * hidden;
        int bound = S.loopBound(hidden);
        for (int n = n0; n < n1; n++) {
            int ab = aOff + n * gh;
            int db = dOff + n * gh;
            int hb = n * hidden;
            for (int j = 0; j < bound; j += S.length()) {
                FloatVector r = load(a, ab + j);
                FloatVector z = load(a, ab + hidden + j);
                FloatVector nv = load(a, ab + 2 * hidden + j);
                FloatVector dhv = load(dh, hb + j);
                FloatVector dan = dhv.mul(z.neg().add(1f)).mul(oneMinusSquare(nv));
                FloatVector daz = dhv.mul(load(h, hIn + hb + j).sub(nv)).mul(z).mul(z.neg().add(1f));
                FloatVector dar = dan.mul(load(pn, pnOff + hb + j)).mul(r).mul(r.neg().add(1f));
                dar.intoArray(dA, db + j);
                daz.intoArray(dA, db + hidden + j);
                dan.intoArray(dA, db + 2 * hidden + j);
                dar.intoArray(dP, db + j);
                daz.intoArray(dP, db + hidden + j);
                dan.mul(r).intoArray(dP, db + 2 * hidden + j);
                dhv.mul(z).intoArray(dhDirect, hb + j);
            }
        }
        if (bound < hidden) RnnCells.gruBackward(a, aOff, pn, pnOff, h, hIn, dh, dhDirect, dA, dP, dOff, hidden, n0, n1, bound);
    }

    static void rnnForward(float[] a, int aOff, float[] h, int hOut, boolean relu, int hidden, int n0, int n1) {
        int bound = S.loopBound(hidden);
        for (int n = n0; n < n1; n++) {
            int b = n * hidden;
            for (int j = 0; j < bound; j += S.length()) {
                FloatVector v = load(a, aOff + b + j);
                (relu ? v.max(0f) : tanh(v)).intoArray(h, hOut + b + j);
            }
        }
        if (bound < hidden) RnnCells.rnnForward(a, aOff, h, hOut, relu, hidden, n0, n1, bound);
    }

    static void rnnBackward(float[] h, int hOut, float[] dh, float[] dA, int dOff, boolean relu, int hidden, int n0, int n1) {
        int bound = S.loopBound(hidden);
        for (int n = n0; n < n1; n++) {
            int b = n * hidden;
            for (int j = 0; j < bound; j += S.length()) {
                FloatVector hv = load(h, hOut + b + j);
                FloatVector d = load(dh, b + j);
                FloatVector g = relu ? d.blend(0f, hv.compare(VectorOperators.LE, 0f)) : d.mul(oneMinusSquare(hv));
                g.intoArray(dA, dOff + b + j);
            }
        }
        if (bound < hidden) RnnCells.rnnBackward(h, hOut, dh, dA, dOff, relu, hidden, n0, n1, bound);
    }
}
