package org.neurite.layers.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.neurite.runtime.TensorAsserts.assertClose;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.neurite.layers.GradCheck;
import org.neurite.layers.Mode;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

class ActivationTest {
    private static final float[] X = {-2f, -0.5f, 0.5f, 2f};

    /** Values in [-1, 1] kept at least 0.1 from the kink at 0 (the check's step is 0.01). */
    private static Tensor awayFromZero(Rng rng, int... dims) {
        Tensor t = Tensor.zeros(dims);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            float v = 0.1f + 0.9f * rng.nextFloat();
            d[i] = rng.nextFloat() < 0.5f ? -v : v;
        }
        return t;
    }

    private static float[] forward(Activation a, float[] x) {
        return a.forward(Tensor.wrap(Shape.of(x.length), x.clone()), Mode.TRAIN).data();
    }

    @Test void forwardValues() {
        assertClose("relu", new float[] {0, 0, 0.5f, 2}, forward(Activation.relu(), X), 0, 0);
        assertClose("leaky", new float[] {-0.2f, -0.05f, 0.5f, 2}, forward(Activation.leakyRelu(0.1f), X), 1e-6, 0);
        assertClose("elu", new float[] {(float) Math.expm1(-2), (float) Math.expm1(-0.5), 0.5f, 2},
                forward(Activation.elu(1f), X), 1e-6, 0);
        assertClose("sigmoid", new float[] {0.11920292f, 0.37754067f, 0.62245933f, 0.88079708f},
                forward(Activation.sigmoid(), X), 1e-6, 0);
        assertClose("tanh", new float[] {-0.96402758f, -0.46211716f, 0.46211716f, 0.96402758f},
                forward(Activation.tanh(), X), 1e-6, 0);
    }

    @Test void sigmoidSaturatesWithoutNaN() {
        assertClose("sigmoid extremes", new float[] {0f, 1f}, forward(Activation.sigmoid(), new float[] {-200f, 200f}), 0, 0);
    }

    @ParameterizedTest @EnumSource(Activation.Kind.class)
    void gradientsMatchFiniteDifferences(Activation.Kind kind) {
        Rng rng = new Rng(kind.ordinal() + 1);
        GradCheck.standard().check(Activation.of(kind), awayFromZero(rng, 3, 2, 4), Mode.TRAIN, 17);
    }

    @Test void eluWithOtherAlphaMatchesFiniteDifferences() {
        GradCheck.standard().check(Activation.elu(0.5f), awayFromZero(new Rng(9), 20), Mode.TRAIN, 3);
    }

    @Test void largeTensorsGiveTheSameResultInParallel() {
        Rng rng = new Rng(4);
        Tensor x = awayFromZero(rng, 100_000);
        Tensor dy = awayFromZero(rng, 100_000);
        int threads = Parallel.threads();
        try {
            Parallel.setThreads(1);
            Activation a = Activation.tanh();
            float[] y1 = a.forward(x, Mode.TRAIN).data().clone();
            float[] dx1 = a.backward(dy).data().clone();
            Parallel.setThreads(2);
            assertClose("y", y1, a.forward(x, Mode.TRAIN).data(), 0, 0);
            assertClose("dx", dx1, a.backward(dy).data(), 0, 0);
        } finally {
            Parallel.setThreads(threads);
        }
    }

    @Test void softmaxRowsAreDistributions() {
        Softmax s = new Softmax();
        Tensor y = s.forward(Tensor.wrap(Shape.of(2, 3), new float[] {1, 2, 3, 1000, 1000, 1000}), Mode.EVAL);
        assertClose("softmax", new float[] {0.09003057f, 0.24472847f, 0.66524096f, 1 / 3f, 1 / 3f, 1 / 3f},
                y.data(), 1e-6, 0);
    }

    @Test void softmaxGradientsMatchFiniteDifferences() {
        Rng rng = new Rng(6);
        Tensor x = Tensor.zeros(3, 5);
        rng.uniform(x.data(), 0, x.size(), -2f, 2f);
        GradCheck.standard().check(new Softmax(), x, Mode.TRAIN, 8);
    }

    @Test void describesItself() {
        assertEquals("LeakyReLU(0.1)", Activation.leakyRelu(0.1f).describe());
        assertEquals("ReLU", Activation.relu().describe());
    }
}
