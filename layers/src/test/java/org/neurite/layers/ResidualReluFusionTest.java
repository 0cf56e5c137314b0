package org.neurite.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurite.layers.activation.Activation;
import org.neurite.layers.conv.Conv2d;
import org.neurite.layers.norm.BatchNorm2d;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/** ResNet's post-addition ReLU fused into the residual: the same bits as a separate ReLU. */
class ResidualReluFusionTest {

    private static Residual block(long seed, boolean projection) {
        Rng rng = new Rng(seed);
        int out = projection ? 3 : 2;
        Sequential body = new Sequential()
                .add("conv1", new Conv2d(Conv2d.config(2, out, 3).padding(1).build(), rng))
                .add("bn1", new BatchNorm2d(out))
                .add("act", Activation.tanh())
                .add("conv2", new Conv2d(Conv2d.config(out, out, 3).padding(1).build(), rng));
        Module shortcut = projection ? new Conv2d(Conv2d.config(2, 3, 1).noBias().build(), rng) : null;
        return new Residual(body, shortcut);
    }

    /** y, dX and every parameter gradient after one forward and backward. */
    private static float[][] run(boolean fused, boolean projection) {
        Residual r = block(1, projection);
        Activation relu = Activation.relu();
        Shape s = Shape.of(3, 2, 5, 6);
        Tensor x = ResidualTest.random(s, 2), dy = ResidualTest.random(projection ? Shape.of(3, 3, 5, 6) : Shape.of(3, 2, 5, 6), 3);
        Tensor y, dX;
        if (fused) {
            Sequential seq = new Sequential().add("block", r).add("relu", relu);
            y = seq.forward(x, Mode.TRAIN);
            assertSame(y, r.forward(x, Mode.TRAIN), "the ReLU passes the fused output through");
            assertTrue(r.isFusedOutput(y));
            y = seq.forward(x, Mode.TRAIN);
            dX = seq.backward(dy);
        } else {
            y = relu.forward(r.forward(x, Mode.TRAIN), Mode.TRAIN);
            dX = r.backward(relu.backward(dy));
        }
        List<Param> ps = r.params();
        float[][] out = new float[2 + ps.size()][];
        out[0] = y.data().clone();
        out[1] = dX.data().clone();
        for (int i = 0; i < ps.size(); i++) out[2 + i] = ps.get(i).grad().data().clone();
        return out;
    }

    @Test void fusedEqualsSeparateBitForBit() {
        for (boolean projection : new boolean[] {false, true}) {
            float[][] a = run(true, projection), b = run(false, projection);
            for (int i = 0; i < a.length; i++) assertArrayEquals(b[i], a[i], "tensor " + i + (projection ? " projection" : " identity"));
            int zeros = 0;
            for (float v : a[0]) {
                assertTrue(v >= 0f);
                if (v == 0f) zeros++;
            }
            assertTrue(zeros > 0 && zeros < a[0].length, "the ReLU cuts some values: " + zeros);
        }
    }

    /** A smaller step than the standard one: fewer outputs within a step of the ReLU's kink. */
    @Test void gradientsThroughTheFusedReLU() {
        Sequential seq = new Sequential().add("block", block(4, true)).add("relu", Activation.relu());
        new GradCheck(1e-3, 2e-2, 2e-3).check(seq, ResidualTest.random(Shape.of(2, 2, 4, 5), 5), Mode.TRAIN, 6);
    }
}
