package org.neurite.layers.rnn;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neurite.runtime.TensorAsserts.assertClose;

import org.junit.jupiter.api.Test;
import org.neurite.layers.GradCheck;
import org.neurite.layers.Mode;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;

/**
 * The Vector API gate kernels against the plain ones, on a hidden size that fills vectors and
 * leaves a tail (37 = 2 x 16 + 5 with AVX-512), and a gradient check wide enough to use them.
 */
class RnnCellsParityTest {
    static final int H = 37;
    static final int N = 3;

    private static float[] random(Rng rng, int n, float scale) {
        float[] a = new float[n];
        rng.uniform(a, 0, n, -scale, scale);
        return a;
    }

    @Test void vectorKernelsMatchThePlainOnes() {
        assertTrue(RnnCpu.VECTOR, "tests run with --add-modules jdk.incubator.vector");
        Rng rng = new Rng(1);
        // LSTM forward and backward.
        float[] a = random(rng, N * 4 * H, 3f);
        float[] c = random(rng, 2 * N * H, 1f);
        float[] a2 = a.clone(), c2 = c.clone();
        float[] tc = new float[N * H], tc2 = new float[N * H], h = new float[2 * N * H], h2 = new float[2 * N * H];
        RnnCells.lstmForward(a, 0, c, 0, N * H, tc, 0, h, N * H, H, 0, N, 0);
        RnnCellsVector.lstmForward(a2, 0, c2, 0, N * H, tc2, 0, h2, N * H, H, 0, N);
        assertClose("lstm gates", a, a2, 1e-5, 1e-6);
        assertClose("lstm h", h, h2, 1e-5, 1e-6);
        assertClose("lstm c", c, c2, 1e-5, 1e-6);
        float[] dh = random(rng, N * H, 1f), dc = random(rng, N * H, 1f), dc2 = dc.clone();
        float[] dA = new float[N * 4 * H], dA2 = new float[N * 4 * H];
        RnnCells.lstmBackward(a, 0, c, 0, tc, 0, dh, dc, dA, 0, H, 0, N, 0);
        RnnCellsVector.lstmBackward(a, 0, c, 0, tc, 0, dh, dc2, dA2, 0, H, 0, N);
        assertClose("lstm dA", dA, dA2, 1e-5, 1e-6);
        assertClose("lstm dc", dc, dc2, 1e-5, 1e-6);

        // GRU forward and backward.
        float[] g = random(rng, N * 3 * H, 3f), g2 = g.clone();
        float[] p = random(rng, N * 3 * H, 3f);
        float[] hs = random(rng, 2 * N * H, 1f), hs2 = hs.clone();
        float[] pn = new float[N * H], pn2 = new float[N * H];
        RnnCells.gruForward(g, 0, p, pn, 0, hs, 0, N * H, H, 0, N, 0);
        RnnCellsVector.gruForward(g2, 0, p, pn2, 0, hs2, 0, N * H, H, 0, N);
        assertClose("gru gates", g, g2, 1e-5, 1e-6);
        assertClose("gru h", hs, hs2, 1e-5, 1e-6);
        float[] d1 = new float[N * H], d2 = new float[N * H];
        float[] gA = new float[N * 3 * H], gA2 = new float[N * 3 * H], gP = new float[N * 3 * H], gP2 = new float[N * 3 * H];
        RnnCells.gruBackward(g, 0, pn, 0, hs, 0, dh, d1, gA, gP, 0, H, 0, N, 0);
        RnnCellsVector.gruBackward(g, 0, pn, 0, hs, 0, dh, d2, gA2, gP2, 0, H, 0, N);
        assertClose("gru dA", gA, gA2, 1e-5, 1e-6);
        assertClose("gru dP", gP, gP2, 1e-5, 1e-6);
        assertClose("gru dh direct", d1, d2, 1e-5, 1e-6);

        // Simple RNN, tanh and relu.
        for (boolean relu : new boolean[] {false, true}) {
            float[] r = random(rng, N * H, 3f);
            float[] o1 = new float[N * H], o2 = new float[N * H];
            RnnCells.rnnForward(r, 0, o1, 0, relu, H, 0, N, 0);
            RnnCellsVector.rnnForward(r, 0, o2, 0, relu, H, 0, N);
            assertClose("rnn h", o1, o2, 1e-5, 1e-6);
            float[] e1 = new float[N * H], e2 = new float[N * H];
            RnnCells.rnnBackward(o1, 0, dh, e1, 0, relu, H, 0, N, 0);
            RnnCellsVector.rnnBackward(o1, 0, dh, e2, 0, relu, H, 0, N);
            assertClose("rnn dA", e1, e2, 1e-5, 1e-6);
        }
    }

    @Test void gradientCheckThroughTheVectorKernels() {
        for (CellType cell : new CellType[] {CellType.LSTM, CellType.GRU, CellType.RNN_TANH}) {
            Rng rng = new Rng(cell.ordinal());
            Rnn rnn = new Rnn(Rnn.Config.of(cell, 2, 17), rng);
            rng.uniform(rnn.weights().value().data(), 0, rnn.weights().value().size(), -0.5f, 0.5f);
            Tensor x = Tensor.zeros(3, 2, 2);
            rng.uniform(x.data(), 0, x.size(), -1f, 1f);
            GradCheck.standard().check(new WithStates(rnn, 2, rng), x, Mode.TRAIN, 7);
        }
    }
}
