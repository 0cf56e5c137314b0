package org.neurite.layers.dropout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.neurite.layers.GradCheck;
import org.neurite.layers.Mode;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

class DropoutTest {
    private static final int N = 100_000;

    private static Tensor ones(int n) {
        Tensor t = Tensor.zeros(n);
        t.fill(1f);
        return t;
    }

    @Test void dropsAFractionPAndScalesSurvivorsByOneOverOneMinusP() {
        Dropout d = new Dropout(0.3f, new Rng(1));
        float[] y = d.forward(ones(N), Mode.TRAIN).data();
        int zeros = 0;
        for (float v : y) {
            if (v == 0f) zeros++;
            else assertEquals(1f / 0.7f, v, 0f, "survivor scale");
        }
        // Binomial(1e5, 0.3): standard deviation of the fraction sqrt(0.21 / 1e5) = 0.00145; allow ~5 sigma.
        assertEquals(0.3, zeros / (double) N, 0.0075, "fraction dropped");
        // Inverted dropout keeps the expectation: the mean stays 1 within ~5 sigma.
        double mean = Arrays.stream(toDouble(y)).sum() / N;
        assertEquals(1.0, mean, 5 * Math.sqrt(0.3 / 0.7 / N));
    }

    @Test void evalIsTheIdentity() {
        Dropout d = new Dropout(0.5f, new Rng(2));
        Tensor x = ones(10);
        assertSame(x, d.forward(x, Mode.EVAL));
        Tensor dY = ones(10);
        assertSame(dY, d.backward(dY));
    }

    @Test void backwardAppliesTheSameMask() {
        Dropout d = new Dropout(0.5f, new Rng(3));
        float[] y = d.forward(ones(1000), Mode.TRAIN).data().clone();
        Tensor dY = Tensor.zeros(1000);
        for (int i = 0; i < 1000; i++) dY.set(i, i);
        float[] dx = d.backward(dY).data();
        for (int i = 0; i < 1000; i++) assertEquals(y[i] * i, dx[i], 0f, "dX at " + i);
    }

    @Test void sameSeedSameMasksAndEachStepDrawsAnew() {
        Dropout a = new Dropout(0.5f, new Rng(4)), b = new Dropout(0.5f, new Rng(4));
        float[] a1 = a.forward(ones(256), Mode.TRAIN).data().clone();
        float[] a2 = a.forward(ones(256), Mode.TRAIN).data().clone();
        float[] b1 = b.forward(ones(256), Mode.TRAIN).data().clone();
        float[] b2 = b.forward(ones(256), Mode.TRAIN).data().clone();
        assertArrayEquals(a1, b1);
        assertArrayEquals(a2, b2);
        assertFalse(Arrays.equals(a1, a2), "a new mask every step");
    }

    @Test void gradCheckWithAFrozenMask() {
        Dropout d = new Dropout(0.4f, new Rng(5));
        float[] x = new float[2 * 3 * 4];
        new Rng(6).uniform(x, 0, x.length, -1f, 1f);
        Tensor input = Tensor.wrap(Shape.of(2, 3, 4), x);
        d.forward(input, Mode.TRAIN);
        d.freezeMask(true);     // GradCheck runs many forwards; they must all see one function
        GradCheck.standard().check(d, input, Mode.TRAIN, 7);
    }

    @Test void rejectsProbabilitiesOutsideZeroOne() {
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1f, new Rng(1)));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.1f, new Rng(1)));
    }

    @Test void warmStepsAllocateNothing() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Dropout d = new Dropout(0.5f, new Rng(8));
        Tensor x = ones(4096);
        // The least over several rounds: a per-step allocation shows in every round, while a one-off
        // (JIT deoptimisation, class loading) in one round does not fail the test.
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 6; round++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int s = 0; s < 20; s++) d.backward(d.forward(x, Mode.TRAIN));
            if (round > 0) least = Math.min(least, mx.getCurrentThreadAllocatedBytes() - before);
        }
        assertEquals(0, least, "bytes allocated by 20 warm steps");
        assertTrue(d.activationBytes() == 3L * 4 * 4096);
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }
}
