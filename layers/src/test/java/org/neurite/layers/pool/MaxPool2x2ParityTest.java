package org.neurite.layers.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * The 2 x 2 / stride 2 max-pool kernel ({@code Kernels.maxPool2x2}) against the general window
 * loop, bit for bit: outputs, and the argmax through a backward pass with a distinct gradient per
 * output. Inputs are drawn from a few values (ties everywhere: the first tap must keep winning),
 * with +-0, infinities and NaN among them; shapes cover odd sizes, rows longer than one vector
 * and the last rows of the batch (where the kernel must not read past the array).
 */
class MaxPool2x2ParityTest {
    private static final float[] VALUES = {0f, -0f, 1f, 1f, 2f, -1f, 0.5f, Float.NaN,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 3f, 0f};

    @Test void sameOutputsAndArgmaxAsTheGeneralLoop() {
        int[][] shapes = {{2, 6, 28, 28}, {3, 16, 10, 10}, {2, 2, 7, 9}, {1, 1, 2, 2}, {1, 2, 6, 70}, {2, 3, 5, 33},
            {1, 1, 3, 64}};
        int before = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                for (int[] s : shapes) {
                    for (long seed = 1; seed <= 3; seed++) compare(Shape.of(s[0], s[1], s[2], s[3]), seed, threads);
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static void compare(Shape in, long seed, int threads) {
        Pool2d.Config cfg = Pool2d.Config.of(2, 2);
        PoolGeometry g = PoolGeometry.of("pool", cfg, in);
        Tensor x = Tensor.zeros(in);
        SplittableRandom r = new SplittableRandom(seed);
        // seed 3: plain random floats, so the argmax moves between all four taps
        for (int i = 0; i < x.size(); i++) x.data()[i] = seed == 3 ? (float) r.nextDouble() : VALUES[r.nextInt(VALUES.length)];
        PoolCpu fast = new PoolCpu(PoolOp.Kind.MAX, g, true);
        PoolCpu general = new PoolCpu(PoolOp.Kind.MAX, g, false);
        Tensor yFast = Tensor.zeros(g.outputShape()), yRef = Tensor.zeros(g.outputShape());
        fast.forward(x, yFast);
        general.forward(x, yRef);
        Tensor dy = Tensor.zeros(g.outputShape());
        for (int i = 0; i < dy.size(); i++) dy.data()[i] = i + 1;
        Tensor dxFast = Tensor.zeros(in), dxRef = Tensor.zeros(in);
        fast.backward(x, yFast, dy, dxFast);
        general.backward(x, yRef, dy, dxRef);
        String what = in + " seed " + seed + " threads " + threads;
        for (int i = 0; i < yRef.size(); i++) {
            assertEquals(Float.floatToRawIntBits(yRef.data()[i]), Float.floatToRawIntBits(yFast.data()[i]),
                    what + ": y[" + i + "] " + yRef.data()[i] + " vs " + yFast.data()[i]);
        }
        for (int i = 0; i < dxRef.size(); i++) {
            assertEquals(dxRef.data()[i], dxFast.data()[i], what + ": dX[" + i + "] (the argmax)");
        }
    }
}
