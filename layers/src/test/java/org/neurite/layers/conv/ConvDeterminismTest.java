package org.neurite.layers.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.neurite.runtime.TensorAsserts.assertClose;

import org.junit.jupiter.api.Test;
import org.neurite.layers.Mode;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/** Same seed and thread count: identical bits. Other thread counts: the same numbers within rounding. */
class ConvDeterminismTest {

    /** Output, dX, dW and dB of one forward and two backward steps (the gradients accumulate). */
    private static float[][] run(int threads) {
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            Rng rng = new Rng(99);
            Conv2d conv = new Conv2d(Conv2d.config(4, 6, 3).stride(2).padding(1).groups(2).build(), rng);
            float[] x = new float[5 * 4 * 9 * 9];
            rng.uniform(x, 0, x.length, -1f, 1f);
            Tensor y = conv.forward(Tensor.wrap(Shape.of(5, 4, 9, 9), x), Mode.TRAIN);
            float[] dy = new float[y.size()];
            rng.uniform(dy, 0, dy.length, -1f, 1f);
            Tensor dX = conv.backward(Tensor.wrap(y.shape(), dy));
            conv.backward(Tensor.wrap(y.shape(), dy));
            return new float[][] {y.data().clone(), dX.data().clone(),
                conv.weight().grad().data().clone(), conv.bias().grad().data().clone()};
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test void sameThreadCountSameBits() {
        for (int threads : new int[] {1, 2, 3}) {
            float[][] a = run(threads), b = run(threads);
            for (int i = 0; i < a.length; i++) assertArrayEquals(a[i], b[i], "tensor " + i + " with " + threads + " threads");
        }
    }

    @Test void oneAndTwoThreadsAgree() {
        float[][] one = run(1), two = run(2);
        String[] names = {"y", "dX", "dW", "dB"};
        for (int i = 0; i < one.length; i++) assertClose(names[i], one[i], two[i], 1e-5, 1e-5);
    }
}
