package org.neurite.layers.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neurite.runtime.TensorAsserts.assertClose;

import org.junit.jupiter.api.Test;
import org.neurite.layers.Mode;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;

/** Carry mode: the state crosses batch boundaries, the gradient does not. */
class TruncatedBpttTest {
    private static Tensor random(Rng rng, int... dims) {
        Tensor t = Tensor.zeros(dims);
        rng.uniform(t.data(), 0, t.size(), -1f, 1f);
        return t;
    }

    private static Rnn lstm(long seed) {
        return new Rnn(Rnn.Config.of(CellType.LSTM, 3, 4).withLayers(2), new Rng(seed));
    }

    @Test void stateCarriesOverAndGradientStopsAtTheBoundary() {
        Rng rng = new Rng(21);
        Tensor x1 = random(rng, 3, 2, 3);
        Tensor x2 = random(rng, 3, 2, 3);
        Tensor dy2 = random(rng, 3, 2, 4);

        Rnn carried = lstm(5);
        carried.setCarryState(true);
        carried.forward(x1, Mode.TRAIN);
        Tensor h1 = carried.finalHidden().copy();
        Tensor c1 = carried.finalCell().copy();
        carried.zeroGrad();
        Tensor y2 = carried.forward(x2, Mode.TRAIN).copy();
        carried.backward(dy2);

        // Reference: batch 2 alone from batch 1's final state given as a constant.
        Rnn ref = lstm(5);
        Tensor y2ref = ref.forward(x2, h1, c1, Mode.TRAIN).copy();
        ref.zeroGrad();
        ref.backward(dy2);
        assertArrayEquals(y2ref.data(), y2.data(), "batch 2 starts from batch 1's final state");
        assertArrayEquals(ref.weights().grad().data(), carried.weights().grad().data(), "weight gradient of batch 2 alone");

        // Full BPTT over both batches as one sequence gives the same outputs but other gradients.
        Rnn full = lstm(5);
        Tensor x12 = Tensor.zeros(6, 2, 3);
        System.arraycopy(x1.data(), 0, x12.data(), 0, x1.size());
        System.arraycopy(x2.data(), 0, x12.data(), x1.size(), x2.size());
        Tensor y12 = full.forward(x12, Mode.TRAIN);
        float[] second = java.util.Arrays.copyOfRange(y12.data(), y12.size() / 2, y12.size());
        assertClose("outputs of the second half", second, y2.data(), 1e-5, 1e-6);
        Tensor dy12 = Tensor.zeros(6, 2, 4);
        System.arraycopy(dy2.data(), 0, dy12.data(), dy12.size() / 2, dy2.size());
        full.zeroGrad();
        full.backward(dy12);
        double diff = 0;
        for (int i = 0; i < dy2.size(); i++) diff = Math.max(diff, Math.abs(full.weights().grad().get(i) - carried.weights().grad().get(i)));
        assertTrue(diff > 1e-3, "untruncated gradient must differ (it reaches batch 1), max difference " + diff);
    }

    @Test void resetStartsFromZero() {
        Rng rng = new Rng(4);
        Tensor x = random(rng, 2, 3, 3);
        Rnn carried = lstm(8);
        carried.setCarryState(true);
        carried.forward(x, Mode.EVAL);
        float[] fromCarry = carried.forward(x, Mode.EVAL).data().clone();
        carried.resetState();
        float[] fromZero = carried.forward(x, Mode.EVAL).data().clone();
        float[] fresh = lstm(8).forward(x, Mode.EVAL).data();
        assertArrayEquals(fresh, fromZero);
        assertTrue(!java.util.Arrays.equals(fresh, fromCarry), "the carried state changes the output");
        // A new batch size cannot continue the old streams: it starts from zero.
        Tensor x4 = random(rng, 2, 4, 3);
        assertArrayEquals(lstm(8).forward(x4, Mode.EVAL).data(), carried.forward(x4, Mode.EVAL).data());
    }
}
