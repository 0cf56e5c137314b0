package org.neurite.models.zoo;

import org.neurite.layers.Module;
import org.neurite.layers.Residual;
import org.neurite.layers.Sequential;
import org.neurite.layers.activation.Activation;
import org.neurite.layers.dense.Dense;
import org.neurite.layers.norm.BatchNorm2d;
import org.neurite.layers.pool.GlobalAvgPool;
import org.neurite.layers.pool.MaxPool2d;
import org.neurite.layers.pool.Pool2d;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;

/**
 * Residual networks of He et al. 2016, with torchvision's parameter names ({@code conv1.weight},
 * {@code layer2.0.bn1.running_mean}, {@code layer2.0.downsample.0.weight}, {@code fc.bias}):
 *
 * <ul>
 * <li>ImageNet 3x224x224 (torchvision's {@code resnet18/34/50}): a 7x7 stride-2 stem, 3x3 max pool,
 * four stages (64, 128, 256, 512), global average pool, dense 1000. Bottleneck blocks put the
 * stride on the 3x3 convolution (torchvision's "v1.5"). 11,689,512 / 21,797,672 / 25,557,032
 * parameters.
 * <li>CIFAR 3x32x32 (section 4.2 of the paper; workload W4): a 3x3 convolution to 16 maps, three
 * stages of n basic blocks (16, 32, 64), global average pool, dense 10; depth 6n + 2. The first
 * block of stages 2 and 3 has stride 2 and a 1x1 projection shortcut (conv + batch norm; the
 * paper's option B, as W4 asks, where its CIFAR table used option A, zero padding).
 * ResNet-20: 272,474 parameters (option A would be 269,722); ResNet-56: 855,770.
 * </ul>
 * Convolutions have no bias (batch norm follows). Each block is a {@link Residual} whose body is
 * unqualified, followed by its post-addition ReLU named {@code "<i>.relu"} (no parameters).
 */
public final class ResNet {
    public static final Shape IMAGENET_INPUT = Shape.of(3, 224, 224);
    public static final Shape CIFAR_INPUT = Shape.of(3, 32, 32);

    private ResNet() { }

    /** ResNet-(6n+2) for CIFAR-10 (n = 3: ResNet-20, n = 9: ResNet-56). */
    public static Sequential cifar(int n, int classes, Rng rng) {
        return cifar(n, 3, classes, rng);
    }

    /** The CIFAR ResNet for {@code inChannels}-channel images (1 for padded MNIST). */
    public static Sequential cifar(int n, int inChannels, int classes, Rng rng) {
        if (n < 1) throw new IllegalArgumentException("blocks per stage must be >= 1, got " + n);
        Sequential net = new Sequential()
                .add("conv1", ZooLayers.convNoBias(inChannels, 16, 3, 1, 1, rng))  // 3@32x32 -> 16@32x32
                .add("bn1", new BatchNorm2d(16))
                .add("relu", Activation.relu());
        int in = 16;
        int[] widths = {16, 32, 64};                                              // 32x32, 16x16, 8x8
        for (int s = 0; s < 3; s++) {
            Sequential stage = new Sequential();
            for (int b = 0; b < n; b++) {
                int stride = s > 0 && b == 0 ? 2 : 1;
                addBlock(stage, b, basic(in, widths[s], stride, rng));
                in = widths[s];
            }
            net.add("layer" + (s + 1), stage);
        }
        return net.add("avgpool", new GlobalAvgPool())                               // -> 64
                .add("fc", new Dense(Dense.Config.of(64, classes).withInit(Dense.WeightInit.PYTORCH_DEFAULT), rng));
    }

    public static Sequential resnet18(Rng rng) { return imagenet(new int[] {2, 2, 2, 2}, false, 1000, rng); }

    public static Sequential resnet34(Rng rng) { return imagenet(new int[] {3, 4, 6, 3}, false, 1000, rng); }

    public static Sequential resnet50(Rng rng) { return imagenet(new int[] {3, 4, 6, 3}, true, 1000, rng); }

    /** An ImageNet ResNet with {@code blocks[i]} blocks in stage i, basic or bottleneck. */
    public static Sequential imagenet(int[] blocks, boolean bottleneck, int classes, Rng rng) {
        Sequential net = new Sequential()
                .add("conv1", ZooLayers.convNoBias(3, 64, 7, 2, 3, rng))            // 3@224x224 -> 64@112x112
                .add("bn1", new BatchNorm2d(64))
                .add("relu", Activation.relu())
                .add("maxpool", new MaxPool2d(Pool2d.Config.of(3, 2, 1)));           // -> 64@56x56
        int in = 64;
        int expansion = bottleneck ? 4 : 1;
        for (int s = 0; s < blocks.length; s++) {
            int width = 64 << s;                                                      // 56, 28, 14, 7 pixels
            Sequential stage = new Sequential();
            for (int b = 0; b < blocks[s]; b++) {
                int stride = s > 0 && b == 0 ? 2 : 1;
                addBlock(stage, b, bottleneck ? bottleneck(in, width, stride, rng) : basic(in, width, stride, rng));
                in = width * expansion;
            }
            net.add("layer" + (s + 1), stage);
        }
        return net.add("avgpool", new GlobalAvgPool())
                .add("fc", new Dense(Dense.Config.of(in, classes).withInit(Dense.WeightInit.PYTORCH_DEFAULT), rng));
    }

    private static void addBlock(Sequential stage, int index, Residual block) {
        stage.add(Integer.toString(index), block).add(index + ".relu", Activation.relu());
    }

    /** conv3x3(stride) - BN - ReLU - conv3x3 - BN, plus identity or a 1x1 projection. */
    static Residual basic(int in, int out, int stride, Rng rng) {
        Sequential body = new Sequential()
                .add("conv1", ZooLayers.convNoBias(in, out, 3, stride, 1, rng))
                .add("bn1", new BatchNorm2d(out))
                .add("relu", Activation.relu())
                .add("conv2", ZooLayers.convNoBias(out, out, 3, 1, 1, rng))
                .add("bn2", new BatchNorm2d(out));
        return Residual.named("", body, "downsample", projection(in, out, stride, rng));
    }

    /** conv1x1 - BN - ReLU - conv3x3(stride) - BN - ReLU - conv1x1 (x4) - BN, plus identity or projection. */
    static Residual bottleneck(int in, int width, int stride, Rng rng) {
        int out = 4 * width;
        Sequential body = new Sequential()
                .add("conv1", ZooLayers.convNoBias(in, width, 1, 1, 0, rng))
                .add("bn1", new BatchNorm2d(width))
                .add("relu1", Activation.relu())
                .add("conv2", ZooLayers.convNoBias(width, width, 3, stride, 1, rng))
                .add("bn2", new BatchNorm2d(width))
                .add("relu2", Activation.relu())
                .add("conv3", ZooLayers.convNoBias(width, out, 1, 1, 0, rng))
                .add("bn3", new BatchNorm2d(out));
        return Residual.named("", body, "downsample", projection(in, out, stride, rng));
    }

    /** The 1x1 projection (conv + BN) where the shape changes, else null: the identity. */
    private static Module projection(int in, int out, int stride, Rng rng) {
        if (stride == 1 && in == out) return null;
        return new Sequential()
                .add("0", ZooLayers.convNoBias(in, out, 1, stride, 0, rng))
                .add("1", new BatchNorm2d(out));
    }
}
