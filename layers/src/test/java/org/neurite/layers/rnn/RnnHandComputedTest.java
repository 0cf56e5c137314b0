package org.neurite.layers.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.neurite.runtime.TensorAsserts.assertClose;
import static org.neurite.runtime.TensorAsserts.toDouble;

import org.junit.jupiter.api.Test;
import org.neurite.layers.Mode;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * One LSTM step and one GRU step with 2 inputs and 2 hidden units, weights written out in
 * PyTorch's layout (weight_ih [G*H, 2] with the gates stacked), expected values from the equations
 * in double precision:
 * <pre>
 * LSTM: a = W_ih x + b_ih + W_hh h + b_hh (rows i0 i1 f0 f1 g0 g1 o0 o1)
 *       c' = sigmoid(a_f) c + sigmoid(a_i) tanh(a_g),  h' = sigmoid(a_o) tanh(c')
 * GRU:  the first 6 rows (r0 r1 z0 z1 n0 n1), u = W_ih x + b_ih, v = W_hh h + b_hh,
 *       r = sigmoid(u_r + v_r), z = sigmoid(u_z + v_z), n = tanh(u_n + r v_n), h' = (1 - z) n + z h
 * </pre>
 * For the GRU, the textbook form n = tanh(u_n + W_hn (r h) + b_hn) would give h' = (0.10254, -0.27239).
 */
class RnnHandComputedTest {
    static final float[] W_IH = {0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f, 0.7f, -0.8f, 0.2f, 0.1f, -0.3f, 0.5f, 0.4f, -0.6f, 0.05f, 0.25f};
    static final float[] W_HH = {0.3f, -0.1f, 0.2f, 0.2f, -0.4f, 0.1f, 0.5f, -0.3f, 0.1f, 0.6f, -0.2f, -0.5f, 0.3f, 0.3f, -0.1f, 0.4f};
    static final float[] B_IH = {0.1f, -0.1f, 0.2f, 0.0f, 0.05f, -0.05f, 0.15f, -0.2f};
    static final float[] B_HH = {0.0f, 0.1f, -0.1f, 0.2f, 0.1f, 0.0f, -0.1f, 0.05f};
    static final float[] X = {0.5f, -1.0f};
    static final float[] H0 = {0.1f, -0.2f};
    static final float[] C0 = {0.3f, 0.4f};

    private static Rnn withWeights(CellType cell) {
        Rnn rnn = new Rnn(Rnn.Config.of(cell, 2, 2), new Rng(1));
        int g = cell.gates();
        RnnLayout lay = rnn.layout();
        Tensor w = rnn.weights().value();
        lay.put(w, RnnLayout.Part.WEIGHT_IH, 0, 0, Tensor.wrap(Shape.of(2 * g, 2), java.util.Arrays.copyOf(W_IH, 4 * g)));
        lay.put(w, RnnLayout.Part.WEIGHT_HH, 0, 0, Tensor.wrap(Shape.of(2 * g, 2), java.util.Arrays.copyOf(W_HH, 4 * g)));
        lay.put(w, RnnLayout.Part.BIAS_IH, 0, 0, Tensor.wrap(Shape.of(2 * g), java.util.Arrays.copyOf(B_IH, 2 * g)));
        lay.put(w, RnnLayout.Part.BIAS_HH, 0, 0, Tensor.wrap(Shape.of(2 * g), java.util.Arrays.copyOf(B_HH, 2 * g)));
        return rnn;
    }

    @Test void oneLstmStep() {
        Rnn rnn = withWeights(CellType.LSTM);
        Tensor y = rnn.forward(Tensor.wrap(Shape.of(1, 1, 2), X.clone()), Tensor.wrap(Shape.of(1, 1, 2), H0.clone()),
                Tensor.wrap(Shape.of(1, 1, 2), C0.clone()), Mode.EVAL);
        assertClose("h'", new double[] {0.080378920, 0.033107169}, toDouble(y.data()), 1e-5, 1e-7);
        assertClose("hN", new double[] {0.080378920, 0.033107169}, toDouble(rnn.finalHidden().data()), 1e-5, 1e-7);
        assertClose("c'", new double[] {0.116301891, 0.086025836}, toDouble(rnn.finalCell().data()), 1e-5, 1e-7);
    }

    @Test void oneGruStepAppliesTheResetGateAfterTheRecurrentProduct() {
        Rnn rnn = withWeights(CellType.GRU);
        Tensor y = rnn.forward(Tensor.wrap(Shape.of(1, 1, 2), X.clone()), Tensor.wrap(Shape.of(1, 1, 2), H0.clone()), null, Mode.EVAL);
        assertClose("h'", new double[] {0.061231296, -0.271980257}, toDouble(y.data()), 1e-5, 1e-7);
    }

    @Test void layoutMatchesPyTorchNamesAndOffsets() {
        RnnLayout lay = new RnnLayout(CellType.LSTM, 3, 5, 2, true);
        // Layer 0: 20*3 + 20*5 + 40 = 200 per direction; layer 1 (input 10): 200 + 100 + 40 = 340.
        assertEquals(2 * 200 + 2 * 340, lay.size());
        assertEquals(200, lay.inputWeights(0, 1));
        assertEquals(400 + 200 + 100, lay.inputBias(1, 0));
        assertEquals("weight_hh_l1_reverse", lay.pytorchName(RnnLayout.Part.WEIGHT_HH, 1, 1));
        assertEquals(Shape.of(20, 10), lay.shape(RnnLayout.Part.WEIGHT_IH, 1));
    }
}
