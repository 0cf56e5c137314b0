package org.neurite.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.neurite.runtime.TensorAsserts.assertClose;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurite.layers.activation.Activation;
import org.neurite.layers.conv.Conv2d;
import org.neurite.layers.norm.BatchNorm2d;
import org.neurite.layers.norm.Buffers;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

class ResidualTest {

    static Tensor random(Shape s, long seed) {
        float[] x = new float[s.size()];
        new Rng(seed).uniform(x, 0, x.length, -1f, 1f);
        return Tensor.wrap(s, x);
    }

    /** conv3x3 - BN - tanh - conv3x3 (tanh: smooth, so no kinks in the finite differences). */
    private static Sequential body(int in, int out, int stride, Rng rng) {
        return new Sequential()
                .add("conv1", new Conv2d(Conv2d.config(in, out, 3).stride(stride).padding(1).build(), rng))
                .add("bn1", new BatchNorm2d(out))
                .add("act", Activation.tanh())
                .add("conv2", new Conv2d(Conv2d.config(out, out, 3).padding(1).build(), rng));
    }

    @Test void gradCheckIdentityShortcut() {
        Rng rng = new Rng(1);
        GradCheck.standard().check(new Residual(body(2, 2, 1, rng), null), random(Shape.of(2, 2, 4, 4), 2), Mode.TRAIN, 3);
    }

    @Test void gradCheckConvShortcut() {
        Rng rng = new Rng(4);
        Sequential down = new Sequential()
                .add("0", new Conv2d(Conv2d.config(2, 3, 1).stride(2).noBias().build(), rng))
                .add("1", new BatchNorm2d(3));
        Residual r = new Residual(body(2, 3, 2, rng), down);
        assertEquals(Shape.of(2, 3, 3, 3), r.outputShape(Shape.of(2, 2, 5, 5)));
        GradCheck.standard().check(r, random(Shape.of(2, 2, 5, 5), 5), Mode.TRAIN, 6);
    }

    @Test void outputIsBodyPlusInputAndInputGradientIsBodyGradientPlusOutputGradient() {
        Conv2d conv = new Conv2d(Conv2d.config(2, 2, 3).padding(1).build(), new Rng(7));
        Residual r = new Residual(conv, null);
        Tensor x = random(Shape.of(1, 2, 3, 3), 8), dY = random(Shape.of(1, 2, 3, 3), 9);
        float[] out = r.forward(x, Mode.TRAIN).data().clone();
        float[] dx = r.backward(dY).data().clone();
        float[] convOut = conv.forward(x, Mode.TRAIN).data().clone();
        float[] convDx = conv.backward(dY).data().clone();
        float[] expectedOut = new float[out.length], expectedDx = new float[dx.length];
        for (int i = 0; i < out.length; i++) {
            expectedOut[i] = convOut[i] + x.get(i);
            expectedDx[i] = convDx[i] + dY.get(i);
        }
        assertClose("out", expectedOut, out, 0, 0);
        assertClose("dX", expectedDx, dx, 0, 0);
    }

    @Test void namesMapOntoTorchvisionBasicBlock() {
        Rng rng = new Rng(10);
        Sequential body = new Sequential()
                .add("conv1", new Conv2d(Conv2d.config(4, 8, 3).stride(2).padding(1).noBias().build(), rng))
                .add("bn1", new BatchNorm2d(8))
                .add("relu", Activation.relu())
                .add("conv2", new Conv2d(Conv2d.config(8, 8, 3).padding(1).noBias().build(), rng))
                .add("bn2", new BatchNorm2d(8));
        Sequential down = new Sequential()
                .add("0", new Conv2d(Conv2d.config(4, 8, 1).stride(2).noBias().build(), rng))
                .add("1", new BatchNorm2d(8));
        Sequential layer2 = new Sequential().add("0", Residual.named("", body, "downsample", down)).add("0.relu", Activation.relu());
        List<String> names = layer2.params().stream().map(Param::name).toList();
        assertEquals(List.of("0.conv1.weight", "0.bn1.weight", "0.bn1.bias", "0.conv2.weight", "0.bn2.weight", "0.bn2.bias",
                "0.downsample.0.weight", "0.downsample.1.weight", "0.downsample.1.bias"), names);
        assertEquals(List.of("0.bn1.running_mean", "0.bn1.running_var", "0.bn2.running_mean", "0.bn2.running_var",
                "0.downsample.1.running_mean", "0.downsample.1.running_var"), List.copyOf(Buffers.of(layer2).keySet()));

        Residual plain = new Residual(body(2, 2, 1, rng), null);
        assertEquals("body.conv1.weight", plain.params().get(0).name());
    }

    @Test void collidingUnqualifiedNamesFail() {
        Rng rng = new Rng(11);
        Conv2d a = new Conv2d(Conv2d.config(2, 2, 1).build(), rng), b = new Conv2d(Conv2d.config(2, 2, 1).build(), rng);
        assertThrows(IllegalStateException.class, () -> Residual.named("", a, "", b).params());
    }

    @Test void shapeMismatchFailsWithoutRunning() {
        Rng rng = new Rng(12);
        Residual r = new Residual(new Conv2d(Conv2d.config(2, 3, 3).padding(1).build(), rng), null);
        assertThrows(IllegalArgumentException.class, () -> r.outputShape(Shape.of(1, 2, 4, 4)));
    }

    @Test void noInputGradientWhenNotNeededButParametersStillLearn() {
        Rng rng = new Rng(13);
        Conv2d body = new Conv2d(Conv2d.config(2, 2, 3).padding(1).build(), rng);
        Conv2d shortcut = new Conv2d(Conv2d.config(2, 2, 1).build(), rng);
        Sequential net = new Sequential().add("block", new Residual(body, shortcut));
        net.setNeedsInputGrad(false);
        net.forward(random(Shape.of(1, 2, 3, 3), 14), Mode.TRAIN);
        assertNull(net.backward(random(Shape.of(1, 2, 3, 3), 15)));
        double s = 0;
        for (float v : shortcut.weight().grad().data()) s += Math.abs(v);
        for (float v : body.weight().grad().data()) s += Math.abs(v);
        assertEquals(true, s > 0, "parameter gradients accumulated");
    }
}
