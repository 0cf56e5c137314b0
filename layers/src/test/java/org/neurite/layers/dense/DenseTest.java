package org.neurite.layers.dense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neurite.runtime.TensorAsserts.assertClose;

import org.junit.jupiter.api.Test;
import org.neurite.layers.GradCheck;
import org.neurite.layers.Mode;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

class DenseTest {
    private static Tensor random(Rng rng, int... dims) {
        Tensor t = Tensor.zeros(dims);
        rng.uniform(t.data(), 0, t.size(), -1f, 1f);
        return t;
    }

    @Test void forwardMatchesHandComputedValues() {
        Dense d = new Dense(3, 2, new Rng(1));
        // W = [[1, 2, 3], [-1, 0, 1]], b = [0.5, -0.5]
        d.weight().value().copyFrom(Tensor.wrap(Shape.of(2, 3), new float[] {1, 2, 3, -1, 0, 1}));
        d.bias().value().copyFrom(Tensor.wrap(Shape.of(2), new float[] {0.5f, -0.5f}));
        Tensor x = Tensor.wrap(Shape.of(2, 3), new float[] {1, 1, 1, 2, 0, -1});
        Tensor y = d.forward(x, Mode.TRAIN);
        assertEquals(Shape.of(2, 2), y.shape());
        // row 0: [1+2+3+0.5, -1+0+1-0.5]; row 1: [2-3+0.5, -2-1-0.5]
        assertClose("y", new float[] {6.5f, -0.5f, -0.5f, -3.5f}, y.data(), 0, 1e-6);
    }

    @Test void backwardMatchesHandComputedValues() {
        Dense d = new Dense(3, 2, new Rng(1));
        d.weight().value().copyFrom(Tensor.wrap(Shape.of(2, 3), new float[] {1, 2, 3, -1, 0, 1}));
        Tensor x = Tensor.wrap(Shape.of(2, 3), new float[] {1, 1, 1, 2, 0, -1});
        d.forward(x, Mode.TRAIN);
        Tensor dy = Tensor.wrap(Shape.of(2, 2), new float[] {1, 0, 0, 2});
        Tensor dx = d.backward(dy);
        // dX = dY * W: row 0 = W[0], row 1 = 2 * W[1]
        assertClose("dX", new float[] {1, 2, 3, -2, 0, 2}, dx.data(), 0, 1e-6);
        // dW = dY^T * X: row 0 = X[0], row 1 = 2 * X[1]
        assertClose("dW", new float[] {1, 1, 1, 4, 0, -2}, d.weight().grad().data(), 0, 1e-6);
        assertClose("db", new float[] {1, 2}, d.bias().grad().data(), 0, 1e-6);
        // Parameter gradients accumulate.
        d.backward(dy);
        assertClose("db twice", new float[] {2, 4}, d.bias().grad().data(), 0, 1e-6);
    }

    @Test void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(7);
        Dense d = new Dense(5, 4, rng);
        GradCheck.standard().check(d, random(rng, 3, 5), Mode.TRAIN, 11);
    }

    @Test void gradientsWithoutBiasMatchFiniteDifferences() {
        Rng rng = new Rng(8);
        Dense d = new Dense(Dense.Config.of(6, 3).withBias(false).withInit(Dense.WeightInit.XAVIER_UNIFORM), rng);
        assertEquals(1, d.params().size());
        assertNull(d.bias());
        GradCheck.standard().check(d, random(rng, 4, 6), Mode.TRAIN, 12);
    }

    @Test void skipsInputGradientWhenNotNeeded() {
        Rng rng = new Rng(3);
        Dense d = new Dense(4, 2, rng);
        d.setNeedsInputGrad(false);
        d.forward(random(rng, 2, 4), Mode.TRAIN);
        assertNull(d.backward(random(rng, 2, 2)));
        assertTrue(d.weight().grad().data()[0] != 0f);
    }

    @Test void reusesBuffersForTheSameShape() {
        Rng rng = new Rng(4);
        Dense d = new Dense(4, 2, rng);
        Tensor y1 = d.forward(random(rng, 3, 4), Mode.TRAIN);
        Tensor dx1 = d.backward(random(rng, 3, 2));
        assertSame(y1, d.forward(random(rng, 3, 4), Mode.TRAIN));
        assertSame(dx1, d.backward(random(rng, 3, 2)));
        assertEquals(Shape.of(5, 2), d.forward(random(rng, 5, 4), Mode.TRAIN).shape());
    }

    @Test void rejectsImageShapedInputWithAHint() {
        Dense d = new Dense(400, 120, new Rng(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> d.forward(Tensor.zeros(2, 16, 5, 5), Mode.TRAIN));
        assertTrue(e.getMessage().contains("[N, 400]") && e.getMessage().contains("Flatten"), e.getMessage());
    }

    @Test void initialisersStayInTheirBounds() {
        int in = 50;
        int out = 20;
        Dense he = new Dense(in, out, new Rng(5));
        Dense torch = new Dense(Dense.Config.of(in, out).withInit(Dense.WeightInit.PYTORCH_DEFAULT), new Rng(5));
        assertTrue(maxAbs(he.weight().value()) <= Math.sqrt(6.0 / in));
        assertTrue(maxAbs(he.weight().value()) > 0.8 * Math.sqrt(6.0 / in), "He uniform spans its range");
        assertEquals(0f, maxAbs(he.bias().value()));
        assertTrue(maxAbs(torch.weight().value()) <= 1 / Math.sqrt(in));
        assertTrue(maxAbs(torch.bias().value()) <= 1 / Math.sqrt(in) && maxAbs(torch.bias().value()) > 0);
        assertEquals(in * out + out, he.parameterCount());
    }

    private static float maxAbs(Tensor t) {
        float m = 0;
        for (float v : t.data()) m = Math.max(m, Math.abs(v));
        return m;
    }
}
