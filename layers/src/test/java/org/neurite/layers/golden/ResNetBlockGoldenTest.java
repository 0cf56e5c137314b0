package org.neurite.layers.golden;

import org.junit.jupiter.api.Test;
import org.neurite.layers.Module;
import org.neurite.layers.Residual;
import org.neurite.layers.Sequential;
import org.neurite.layers.activation.Activation;
import org.neurite.layers.conv.Conv2d;
import org.neurite.layers.norm.BatchNorm2d;
import org.neurite.runtime.Rng;

/**
 * Residual blocks built from Neurite's layers as the zoo's ResNet builds them (a {@link Residual}
 * with an unnamed body and a "downsample" projection, then the post-addition ReLU) against
 * torchvision's BasicBlock and Bottleneck in training mode: output, dx, every parameter gradient
 * (convolutions, batch-norm gamma and beta, the projection) and every running statistic after the
 * step, under torchvision's names.
 */
class ResNetBlockGoldenTest {
    private static final Golden GOLDEN = Golden.load("resnet_block");

    @Test void fileHoldsEveryBlock() {
        GOLDEN.assertHasCases("basic_projection", "basic_identity", "bottleneck_projection");
    }

    @Test void basicBlockWithProjection() { check("basic_projection"); }

    @Test void basicBlockWithIdentity() { check("basic_identity"); }

    @Test void bottleneckWithProjection() { check("bottleneck_projection"); }

    private static void check(String c) {
        int in = GOLDEN.integer(c, "in_channels"), width = GOLDEN.integer(c, "width"), stride = GOLDEN.integer(c, "stride");
        Rng rng = new Rng(5);
        Residual block = GOLDEN.value(c, "kind").equals("basic") ? basic(in, width, stride, rng) : bottleneck(in, width, stride, rng);
        GoldenBlocks.checkTrainingStep(GOLDEN, c, new GoldenBlocks.ThenRelu(block));
    }

    private static Residual basic(int in, int out, int stride, Rng rng) {
        Sequential body = new Sequential()
                .add("conv1", conv(in, out, 3, stride, 1, rng)).add("bn1", new BatchNorm2d(out)).add("relu", Activation.relu())
                .add("conv2", conv(out, out, 3, 1, 1, rng)).add("bn2", new BatchNorm2d(out));
        return Residual.named("", body, "downsample", projection(in, out, stride, rng));
    }

    private static Residual bottleneck(int in, int width, int stride, Rng rng) {
        int out = 4 * width;
        Sequential body = new Sequential()
                .add("conv1", conv(in, width, 1, 1, 0, rng)).add("bn1", new BatchNorm2d(width)).add("relu1", Activation.relu())
                .add("conv2", conv(width, width, 3, stride, 1, rng)).add("bn2", new BatchNorm2d(width)).add("relu2", Activation.relu())
                .add("conv3", conv(width, out, 1, 1, 0, rng)).add("bn3", new BatchNorm2d(out));
        return Residual.named("", body, "downsample", projection(in, out, stride, rng));
    }

    private static Module projection(int in, int out, int stride, Rng rng) {
        if (stride == 1 && in == out) return null;
        return new Sequential().add("0", conv(in, out, 1, stride, 0, rng)).add("1", new BatchNorm2d(out));
    }

    private static Conv2d conv(int in, int out, int k, int stride, int pad, Rng rng) {
        return new Conv2d(Conv2d.config(in, out, k).stride(stride).padding(pad).noBias().build(), rng);
    }
}
