package org.neurite.layers.rnn;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurite.layers.GradCheck;
import org.neurite.layers.Mode;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;

/**
 * Finite differences over whole sequences (T = 4, N = 2) for every cell type, single and stacked,
 * uni- and bidirectional: the gradients of the input, of every weight and bias in the flat buffer,
 * and of the initial states, with gradients flowing in through the output and the final states.
 */
class RnnGradCheckTest {
    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (CellType cell : CellType.values()) {
            for (int layers : new int[] {1, 2}) {
                for (boolean bi : new boolean[] {false, true}) b.add(Arguments.of(cell, layers, bi));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} layers={1} bidirectional={2}")
    @MethodSource("cases")
    void gradientsOfInputWeightsAndInitialStates(CellType cell, int layers, boolean bidirectional) {
        Rng rng = new Rng(11 + cell.ordinal() * 7 + layers * 3 + (bidirectional ? 1 : 0));
        Rnn.Config c = Rnn.Config.of(cell, 3, 4).withLayers(layers).withBidirectional(bidirectional);
        Rnn rnn = new Rnn(c, rng);
        // Larger weights than the default init so the gates leave their linear range.
        rng.uniform(rnn.weights().value().data(), 0, rnn.weights().value().size(), -0.9f, 0.9f);
        WithStates m = new WithStates(rnn, 2, rng);
        Tensor x = Tensor.zeros(4, 2, 3);
        rng.uniform(x.data(), 0, x.size(), -1f, 1f);
        // ReLU kinks: a smaller step crosses fewer of them (GradCheck skips the points it sees crossed).
        GradCheck check = cell == CellType.RNN_RELU ? new GradCheck(2e-3, 2e-2, 4e-3) : GradCheck.standard();
        check.check(m, x, Mode.TRAIN, 5);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void gradientsWithoutInitialStates(CellType cell) {
        Rng rng = new Rng(3);
        Rnn rnn = new Rnn(Rnn.Config.of(cell, 2, 3), rng);
        Tensor x = Tensor.zeros(3, 2, 2);
        rng.uniform(x.data(), 0, x.size(), -1f, 1f);
        GradCheck.standard().check(rnn, x, Mode.TRAIN, 9);
    }

    static Stream<CellType> cells() { return Stream.of(CellType.values()); }
}
