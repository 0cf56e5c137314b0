package org.neurite.layers.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.neurite.layers.Mode;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;

/** Dropout between stacked layers: training only, and never after the last layer. */
class RnnDropoutTest {
    @Test void dropoutActsInTrainingOnly() {
        Rnn.Config c = Rnn.Config.of(CellType.GRU, 3, 8).withLayers(2);
        Rnn plain = new Rnn(c, new Rng(1));
        Rnn dropped = new Rnn(c.withDropout(0.5f), new Rng(1));
        Tensor x = Tensor.zeros(4, 2, 3);
        new Rng(2).uniform(x.data(), 0, x.size(), -1f, 1f);
        float[] expected = plain.forward(x, Mode.EVAL).data().clone();
        assertArrayEquals(expected, dropped.forward(x, Mode.EVAL).data());
        assertFalse(Arrays.equals(expected, dropped.forward(x, Mode.TRAIN).data()));
        // One layer: nothing to drop between layers.
        Rnn single = new Rnn(Rnn.Config.of(CellType.GRU, 3, 8), new Rng(1));
        Rnn singleDropped = new Rnn(Rnn.Config.of(CellType.GRU, 3, 8).withDropout(0.5f), new Rng(1));
        assertArrayEquals(single.forward(x, Mode.TRAIN).data(), singleDropped.forward(x, Mode.TRAIN).data());
    }

    @Test void rejectsBatchFirstAndBadDropout() {
        assertThrows(IllegalArgumentException.class, () -> new Rnn.Config(CellType.LSTM, 3, 4, 1, false, 0f, true));
        assertThrows(IllegalArgumentException.class, () -> Rnn.Config.of(CellType.LSTM, 3, 4).withDropout(1f));
    }
}
