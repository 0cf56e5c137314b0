package org.neurite.layers.rnn;

/**
 * The fused element-wise arithmetic of one time step, per cell type, over rows {@code [n0, n1)} of
 * the batch (the CPU engine splits rows over threads). Gate blocks are {@code [N, G*H]} with the
 * gates side by side in each row, in {@link RnnLayout}'s order; states are {@code [N, H]}. Offsets
 * point at the step's first row; {@code n0} and {@code n1} are rows relative to it.
 *
 * <p>Forward kernels replace the gate pre-activations with the gate values, which is all their
 * backward needs (besides the states). Backward kernels write dA, the gradient with respect to the
 * input projection W x + b_W, and dP, the gradient with respect to the recurrent projection
 * R h + b_R; they differ only for the GRU's new gate, whose recurrent part is scaled by r.
 *
 * <p>These are the plain-Java kernels; {@link RnnCellsVector} does the same with the Vector API
 * (its exp and tanh are about 20x faster) and calls these for the columns {@code [j0, H)} that do
 * not fill a vector.
 */
final class RnnCells {
    private RnnCells() { }

    static float sigmoid(float x) {
        return 1f / (1f + (float) Math.exp(-x));
    }

    static float tanh(float x) {
        return (float) Math.tanh(x);
    }

    /**
     * LSTM: i, f, o = sigmoid, g = tanh of their pre-activations a (input plus recurrent projection,
     * already summed in {@code a}); c' = f c + i g; h' = o tanh(c'). Keeps tanh(c') in {@code tc}.
     */
    static void lstmForward(float[] a, int aOff, float[] c, int cIn, int cOut, float[] tc, int tcOff,
                            float[] h, int hOut, int hidden, int n0, int n1, int j0) {
        int gh = 4 * hidden;
        for (int n = n0; n < n1; n++) {
            int ab = aOff + n * gh;
            int hb = n * hidden;
            for (int j = j0; j < hidden; j++) {
                float i = sigmoid(a[ab + j]);
                float f = sigmoid(a[ab + hidden + j]);
                float g = tanh(a[ab + 2 * hidden + j]);
                float o = sigmoid(a[ab + 3 * hidden + j]);
                a[ab + j] = i;
                a[ab + hidden + j] = f;
                a[ab + 2 * hidden + j] = g;
                a[ab + 3 * hidden + j] = o;
                float cv = f * c[cIn + hb + j] + i * g;
                float t = tanh(cv);
                c[cOut + hb + j] = cv;
                tc[tcOff + hb + j] = t;
                h[hOut + hb + j] = o * t;
            }
        }
    }

    /**
     * LSTM backward of one step. In: dh (gradient of h', all paths), dc (gradient of c' from the
     * next step). Out: dA (pre-activations), dc replaced by the gradient of the previous cell state.
     */
    static void lstmBackward(float[] a, int aOff, float[] c, int cIn, float[] tc, int tcOff,
                             float[] dh, float[] dc, float[] dA, int dOff, int hidden, int n0, int n1, int j0) {
        int gh = 4 * hidden;
        for (int n = n0; n < n1; n++) {
            int ab = aOff + n * gh;
            int db = dOff + n * gh;
            int hb = n * hidden;
            for (int j = j0; j < hidden; j++) {
                float i = a[ab + j];
                float f = a[ab + hidden + j];
                float g = a[ab + 2 * hidden + j];
                float o = a[ab + 3 * hidden + j];
                float t = tc[tcOff + hb + j];
                float dhv = dh[hb + j];
                float dcv = dc[hb + j] + dhv * o * (1f - t * t);
                dA[db + j] = dcv * g * i * (1f - i);
                dA[db + hidden + j] = dcv * c[cIn + hb + j] * f * (1f - f);
                dA[db + 2 * hidden + j] = dcv * i * (1f - g * g);
                dA[db + 3 * hidden + j] = dhv * t * o * (1f - o);
                dc[hb + j] = dcv * f;
            }
        }
    }

    /**
     * GRU, cuDNN's form: r = sigmoid(a_r + p_r), z = sigmoid(a_z + p_z), n = tanh(a_n + r * p_n),
     * h' = (1 - z) n + z h, with a = W x + b_W and p = R h + b_R. Keeps p_n in {@code pn}.
     */
    static void gruForward(float[] a, int aOff, float[] p, float[] pn, int pnOff, float[] h, int hIn, int hOut,
                           int hidden, int n0, int n1, int j0) {
        int gh = 3 * hidden;
        for (int n = n0; n < n1; n++) {
            int ab = aOff + n * gh;
            int pb = n * gh;
            int hb = n * hidden;
            for (int j = j0; j < hidden; j++) {
                float r = sigmoid(a[ab + j] + p[pb + j]);
                float z = sigmoid(a[ab + hidden + j] + p[pb + hidden + j]);
                float pnv = p[pb + 2 * hidden + j];
                float nv = tanh(a[ab + 2 * hidden + j] + r * pnv);
                a[ab + j] = r;
                a[ab + hidden + j] = z;
                a[ab + 2 * hidden + j] = nv;
                pn[pnOff + hb + j] = pnv;
                h[hOut + hb + j] = (1f - z) * nv + z * h[hIn + hb + j];
            }
        }
    }

    /**
     * GRU backward of one step. In: dh (gradient of h'). Out: dA, dP, and dhDirect = dh * z, the
     * part of the previous state's gradient that bypasses R.
     */
    static void gruBackward(float[] a, int aOff, float[] pn, int pnOff, float[] h, int hIn, float[] dh,
                            float[] dhDirect, float[] dA, float[] dP, int dOff, int hidden, int n0, int n1, int j0) {
        int gh = 3 * hidden;
        for (int n = n0; n < n1; n++) {
            int ab = aOff + n * gh;
            int db = dOff + n * gh;
            int hb = n * hidden;
            for (int j = j0; j < hidden; j++) {
                float r = a[ab + j];
                float z = a[ab + hidden + j];
                float nv = a[ab + 2 * hidden + j];
                float dhv = dh[hb + j];
                float dan = dhv * (1f - z) * (1f - nv * nv);
                float daz = dhv * (h[hIn + hb + j] - nv) * z * (1f - z);
                float dar = dan * pn[pnOff + hb + j] * r * (1f - r);
                dA[db + j] = dar;
                dA[db + hidden + j] = daz;
                dA[db + 2 * hidden + j] = dan;
                dP[db + j] = dar;
                dP[db + hidden + j] = daz;
                dP[db + 2 * hidden + j] = dan * r;
                dhDirect[hb + j] = dhv * z;
            }
        }
    }

    /** Simple RNN: h' = tanh(a) or max(0, a), a the summed projections. */
    static void rnnForward(float[] a, int aOff, float[] h, int hOut, boolean relu, int hidden, int n0, int n1, int j0) {
        for (int n = n0; n < n1; n++) {
            for (int k = n * hidden + j0; k < (n + 1) * hidden; k++) {
                float v = a[aOff + k];
                h[hOut + k] = relu ? Math.max(0f, v) : tanh(v);
            }
        }
    }

    /** Simple RNN backward: dA = dh * (1 - h'^2) or dh * [h' > 0]. */
    static void rnnBackward(float[] h, int hOut, float[] dh, float[] dA, int dOff, boolean relu, int hidden, int n0, int n1, int j0) {
        for (int n = n0; n < n1; n++) {
            for (int k = n * hidden + j0; k < (n + 1) * hidden; k++) {
                float hv = h[hOut + k];
                dA[dOff + k] = relu ? (hv > 0f ? dh[k] : 0f) : dh[k] * (1f - hv * hv);
            }
        }
    }
}
