package org.neurite.layers.lenet1998;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.neurite.layers.GradCheck;
import org.neurite.layers.Mode;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.TensorAsserts;

/** Hand-computed values and finite differences for LeNet-5 (1998)'s special layers. */
class LeNet1998LayersTest {

    private static Tensor random(Rng rng, int... dims) {
        Tensor t = Tensor.zeros(dims);
        rng.uniform(t.data(), 0, t.size(), -1f, 1f);
        return t;
    }

    @Test void scaledTanhValues() {
        ScaledTanh f = new ScaledTanh();
        Tensor y = f.forward(Tensor.wrap(Shape.of(1, 4), new float[] {1f, -1f, 0f, 3f}), Mode.TRAIN);
        // 1.7159 tanh(2/3) = 1.7159 * 0.582783 = 1.000 (the paper's design point); tanh(2) = 0.964028
        TensorAsserts.assertClose("f", new float[] {1.00000f, -1.00000f, 0f, 1.7159f * 0.9640276f}, y.data(), 1e-4, 1e-4);
        // f'(0) = 1.7159 * 2/3 = 1.14393
        Tensor dx = f.backward(Tensor.wrap(Shape.of(1, 4), new float[] {0f, 0f, 1f, 0f}));
        assertEquals(1.14393f, dx.get(2), 1e-5f);
    }

    @Test void scaledTanhGradient() {
        Rng rng = new Rng(1);
        GradCheck.standard().check(new ScaledTanh(), random(rng, 2, 3, 4, 4), Mode.TRAIN, 2);
    }

    @Test void subsamplingValues() {
        Subsampling s = new Subsampling(2);
        s.weight().value().data()[0] = 0.5f;
        s.weight().value().data()[1] = -1f;
        s.bias().value().data()[0] = 1f;
        s.bias().value().data()[1] = 0.25f;
        // x: [1, 2, 2, 4]; map 0 windows sum to 1+2+5+6 = 14 and 3+4+7+8 = 22; map 1 is map 0 / 10
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f};
        Tensor y = s.forward(Tensor.wrap(Shape.of(1, 2, 2, 4), x), Mode.TRAIN);
        assertEquals(Shape.of(1, 2, 1, 2), y.shape());
        TensorAsserts.assertClose("y", new float[] {0.5f * 14 + 1, 0.5f * 22 + 1, -1.4f + 0.25f, -2.2f + 0.25f}, y.data(), 1e-6, 1e-6);

        s.zeroGrad();
        Tensor dx = s.backward(Tensor.wrap(y.shape(), new float[] {1f, 2f, 3f, -1f}));
        // dW0 = 1*14 + 2*22 = 58; dB0 = 3; dW1 = 3*1.4 - 2.2 = 2.0; dB1 = 2
        TensorAsserts.assertClose("dW", new float[] {58f, 2.0f}, s.weight().grad().data(), 1e-5, 1e-5);
        TensorAsserts.assertClose("dB", new float[] {3f, 2f}, s.bias().grad().data(), 1e-6, 1e-6);
        // each input of a window gets dY * weight
        TensorAsserts.assertClose("dX", new float[] {0.5f, 0.5f, 1f, 1f, 0.5f, 0.5f, 1f, 1f, -3f, -3f, 1f, 1f, -3f, -3f, 1f, 1f},
                dx.data(), 1e-6, 1e-6);
        assertEquals(12, new Subsampling(6).parameterCount());
        assertThrows(IllegalArgumentException.class, () -> s.outputShape(Shape.of(1, 2, 3, 4)));
    }

    @Test void subsamplingGradient() {
        Rng rng = new Rng(3);
        Subsampling s = new Subsampling(3);
        rng.uniform(s.weight().value().data(), 0, 3, -1f, 1f);
        rng.uniform(s.bias().value().data(), 0, 3, -1f, 1f);
        GradCheck.standard().check(s, random(rng, 2, 3, 4, 6), Mode.TRAIN, 4);
    }

    @Test void c3TableHasSixtyConnectionsAnd1516Parameters() {
        PartialConv2d c3 = new PartialConv2d(PartialConv2d.config(LeNet1998Tables.c3(), 5), new Rng(5));
        assertEquals(60, c3.config().connections());
        assertEquals(60 * 25 + 16, c3.parameterCount());
        assertEquals(Shape.of(2, 16, 10, 10), c3.outputShape(Shape.of(2, 6, 14, 14)));
        int[] perOutput = new int[16];
        for (boolean[] row : LeNet1998Tables.c3()) for (int k = 0; k < 16; k++) perOutput[k] += row[k] ? 1 : 0;
        assertEquals("[3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 6]", java.util.Arrays.toString(perOutput));
    }

    @Test void unconnectedInputsDoNotReachAnOutput() {
        PartialConv2d c3 = new PartialConv2d(PartialConv2d.config(LeNet1998Tables.c3(), 5), new Rng(6));
        // only S2 map 3 is non-zero: C3 maps it does not feed (0, 1, 2, 7, 8, ...) must equal their bias
        Tensor x = Tensor.zeros(1, 6, 5, 5);
        new Rng(7).uniform(x.data(), 3 * 25, 4 * 25, 0.5f, 1f);
        Tensor y = c3.forward(x, Mode.TRAIN);
        boolean[] row3 = LeNet1998Tables.c3()[3];
        for (int k = 0; k < 16; k++) {
            float b = c3.bias().value().get(k);
            if (row3[k]) org.junit.jupiter.api.Assertions.assertNotEquals(b, y.get(k), "C3 map " + k);
            else assertEquals(b, y.get(k), 0f, "C3 map " + k);
        }
    }

    @Test void partialConvGradient() {
        Rng rng = new Rng(8);
        boolean[][] table = LeNet1998Tables.grid("X.X", "XX.", ".XX", "X..");
        PartialConv2d conv = new PartialConv2d(PartialConv2d.config(table, 3), rng);
        rng.uniform(conv.weight().value().data(), 0, conv.weight().value().size(), -1f, 1f);
        GradCheck.standard().check(conv, random(rng, 2, 4, 5, 5), Mode.TRAIN, 9);
    }

    @Test void tableNeedsAnInputForEveryOutput() {
        assertThrows(IllegalArgumentException.class, () -> PartialConv2d.config(LeNet1998Tables.grid("X.", "X."), 3));
    }
}
