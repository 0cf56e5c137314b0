package org.neurite.layers.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurite.layers.Mode;
import org.neurite.layers.rnn.CellType;
import org.neurite.layers.rnn.Rnn;
import org.neurite.layers.rnn.RnnLayout;
import org.neurite.runtime.Tensor;

/**
 * Rnn (CPU engine) against PyTorch's nn.RNN (tanh, relu), nn.LSTM and nn.GRU: two stacked
 * bidirectional layers from given initial states, one layer from zero states, and hidden size 18
 * so the vector gate kernels (8 or 16 lanes) and their scalar tails both run. PyTorch's
 * {@code weight_ih_l{k}[_reverse]}, {@code weight_hh_l{k}}, {@code bias_ih_l{k}}, {@code bias_hh_l{k}}
 * are put into the flat cuDNN-order buffer through {@link RnnLayout}; compared are the output, the
 * final hidden (and cell) states, dx, dh0 (and dc0) for upstream gradients on the output and on the
 * final states, and every weight and bias gradient read back through the layout.
 */
class RnnGoldenTest {
    private static final Golden GOLDEN = Golden.load("rnn");

    static List<String> cases() { return GOLDEN.cases(); }

    @Test void fileHoldsEveryConfiguration() {
        GOLDEN.assertHasCases("rnn_tanh_2l_bi", "rnn_relu_2l_bi", "lstm_2l_bi", "gru_2l_bi", "lstm_1l_zero", "gru_1l_zero",
                "lstm_h18_bi", "gru_h18_bi", "rnn_relu_h18");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(String c) {
        String at = "rnn/" + c;
        CellType cell = CellType.valueOf(GOLDEN.value(c, "cell").toUpperCase(java.util.Locale.ROOT));
        Rnn.Config config = Rnn.Config.of(cell, GOLDEN.integer(c, "input_size"), GOLDEN.integer(c, "hidden_size"))
                .withLayers(GOLDEN.integer(c, "num_layers")).withBidirectional(GOLDEN.flag(c, "bidirectional"));
        Rnn rnn = new Rnn(config, new org.neurite.runtime.Rng(11));
        RnnLayout lay = rnn.layout();
        int named = 0;
        for (int l = 0; l < lay.numLayers(); l++) {
            for (int d = 0; d < lay.directions(); d++) {
                for (RnnLayout.Part part : RnnLayout.Part.values()) {
                    lay.put(rnn.weights().value(), part, l, d, GOLDEN.tensor(c, lay.pytorchName(part, l, d)));
                    named++;
                }
            }
        }
        assertEquals(named, GOLDEN.tensorNames().stream().filter(n -> n.startsWith(c + "/weight_") || n.startsWith(c + "/bias_")).count(),
                at + ": PyTorch has parameters the layout does not name");
        boolean given = GOLDEN.flag(c, "initial_states");
        boolean lstm = cell == CellType.LSTM;
        Tensor h0 = given ? GOLDEN.tensor(c, "h0") : null;
        Tensor c0 = given && lstm ? GOLDEN.tensor(c, "c0") : null;

        rnn.zeroGrad();
        Tensor y = rnn.forward(GOLDEN.tensor(c, "x"), h0, c0, Mode.TRAIN);
        Golden.assertForward(at + " y", GOLDEN.tensor(c, "y"), y);
        Golden.assertForward(at + " hn", GOLDEN.tensor(c, "hn"), rnn.finalHidden());
        if (lstm) Golden.assertForward(at + " cn", GOLDEN.tensor(c, "cn"), rnn.finalCell());
        else assertNull(rnn.finalCell(), at + ": only an LSTM has a cell state");

        Tensor dX = rnn.backward(GOLDEN.tensor(c, "dy"), GOLDEN.tensor(c, "dhn"), lstm ? GOLDEN.tensor(c, "dcn") : null);
        Golden.assertGrad(at + " dx", GOLDEN.tensor(c, "dx"), dX);
        if (given) {
            Golden.assertGrad(at + " dh0", GOLDEN.tensor(c, "dh0"), rnn.initialHiddenGrad());
            if (lstm) Golden.assertGrad(at + " dc0", GOLDEN.tensor(c, "dc0"), rnn.initialCellGrad());
        }
        for (int l = 0; l < lay.numLayers(); l++) {
            for (int d = 0; d < lay.directions(); d++) {
                for (RnnLayout.Part part : RnnLayout.Part.values()) {
                    String name = lay.pytorchName(part, l, d);
                    Golden.assertGrad(at + " d" + name, GOLDEN.tensor(c, "d" + name), lay.extract(rnn.weights().grad(), part, l, d));
                }
            }
        }
    }
}
