package org.neurite.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.neurite.runtime.TensorAsserts.assertClose;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurite.layers.activation.Activation;
import org.neurite.layers.conv.Conv2d;
import org.neurite.layers.norm.BatchNorm2d;
import org.neurite.layers.norm.Buffers;
import org.neurite.layers.pool.AvgPool2d;
import org.neurite.layers.pool.Pool2d;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

class ConcatTest {

    /** An Inception-like block: 1x1 (1 channel), 3x3 (3 channels), pool + BN projection (2 channels). */
    private static Concat inception(Rng rng) {
        return new Concat()
                .add("branch1", new Conv2d(Conv2d.config(2, 1, 1).build(), rng))
                .add("branch2", new Sequential()
                        .add("0", new Conv2d(Conv2d.config(2, 2, 1).build(), rng))
                        .add("1", Activation.tanh())
                        .add("2", new Conv2d(Conv2d.config(2, 3, 3).padding(1).build(), rng)))
                .add("branch3", new Sequential()
                        .add("0", new AvgPool2d(Pool2d.Config.of(3, 1, 1)))
                        .add("1", new Conv2d(Conv2d.config(2, 2, 1).build(), rng))
                        .add("2", new BatchNorm2d(2)));
    }

    @Test void gradCheckThreeBranchesOfDifferentWidths() {
        Concat c = inception(new Rng(1));
        assertEquals(Shape.of(2, 6, 4, 3), c.outputShape(Shape.of(2, 2, 4, 3)));
        GradCheck.standard().check(c, ResidualTest.random(Shape.of(2, 2, 4, 3), 2), Mode.TRAIN, 3);
    }

    @Test void gradCheckTwoBranches() {
        Rng rng = new Rng(4);
        Concat c = Concat.of(new Conv2d(Conv2d.config(3, 2, 3).padding(1).build(), rng), Activation.tanh());
        GradCheck.standard().check(c, ResidualTest.random(Shape.of(2, 3, 3, 3), 5), Mode.TRAIN, 6);
    }

    @Test void outputStacksBranchOutputsAlongChannels() {
        Rng rng = new Rng(7);
        Conv2d a = new Conv2d(Conv2d.config(2, 1, 1).build(), rng), b = new Conv2d(Conv2d.config(2, 2, 3).padding(1).build(), rng);
        Concat c = Concat.of(a, b);
        Tensor x = ResidualTest.random(Shape.of(2, 2, 2, 2), 8);
        float[] y = c.forward(x, Mode.TRAIN).data().clone();
        float[] ya = a.forward(x, Mode.TRAIN).data(), yb = b.forward(x, Mode.TRAIN).data();
        // sample n: channel 0 from a, channels 1..2 from b; 4 pixels per channel
        float[] expected = new float[2 * 3 * 4];
        for (int n = 0; n < 2; n++) {
            System.arraycopy(ya, n * 4, expected, n * 12, 4);
            System.arraycopy(yb, n * 8, expected, n * 12 + 4, 8);
        }
        assertClose("y", expected, y, 0, 0);

        // dX is the sum of the branches' input gradients for their dY slices.
        Tensor dY = ResidualTest.random(Shape.of(2, 3, 2, 2), 9);
        float[] dx = c.backward(dY).data().clone();
        float[] dYa = new float[8], dYb = new float[16];
        for (int n = 0; n < 2; n++) {
            System.arraycopy(dY.data(), n * 12, dYa, n * 4, 4);
            System.arraycopy(dY.data(), n * 12 + 4, dYb, n * 8, 8);
        }
        float[] ga = a.backward(Tensor.wrap(Shape.of(2, 1, 2, 2), dYa)).data().clone();
        float[] gb = b.backward(Tensor.wrap(Shape.of(2, 2, 2, 2), dYb)).data();
        float[] expectedDx = new float[dx.length];
        for (int i = 0; i < dx.length; i++) expectedDx[i] = ga[i] + gb[i];
        assertClose("dX", expectedDx, dx, 0, 0);
    }

    @Test void namesAndBuffersAreQualifiedByBranch() {
        Concat c = inception(new Rng(10));
        List<String> names = c.params().stream().map(Param::name).toList();
        assertEquals(List.of("branch1.weight", "branch1.bias", "branch2.0.weight", "branch2.0.bias", "branch2.2.weight", "branch2.2.bias",
                "branch3.1.weight", "branch3.1.bias", "branch3.2.weight", "branch3.2.bias"), names);
        assertEquals(List.of("branch3.2.running_mean", "branch3.2.running_var"), List.copyOf(Buffers.of(c).keySet()));
    }

    @Test void mismatchedSpatialSizesFail() {
        Rng rng = new Rng(11);
        Concat c = Concat.of(new Conv2d(Conv2d.config(2, 1, 3).build(), rng), new Conv2d(Conv2d.config(2, 1, 1).build(), rng));
        assertThrows(IllegalArgumentException.class, () -> c.outputShape(Shape.of(1, 2, 5, 5)));
    }

    @Test void anotherBatchSizeReplans() {
        Concat c = inception(new Rng(12));
        c.forward(ResidualTest.random(Shape.of(2, 2, 4, 3), 13), Mode.TRAIN);
        Tensor y = c.forward(ResidualTest.random(Shape.of(3, 2, 4, 3), 14), Mode.TRAIN);
        assertEquals(Shape.of(3, 6, 4, 3), y.shape());
        assertEquals(Shape.of(3, 2, 4, 3), c.backward(ResidualTest.random(Shape.of(3, 6, 4, 3), 15)).shape());
    }
}
