package org.neurite.models.zoo;

import org.neurite.layers.DenseBlock;
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
 * DenseNet-BC (Huang et al. 2017): dense blocks of BN-ReLU-Conv1x1(4k)-BN-ReLU-Conv3x3(k) layers,
 * each reading the concatenation of everything before it in its block (one preallocated buffer,
 * {@link DenseBlock}), joined by transitions that halve the channels (compression 0.5) and the
 * resolution.
 *
 * <ul>
 * <li>{@link #densenet121}: torchvision's layout and names ({@code features.denseblock2.denselayer3.conv1.weight},
 * {@code features.transition1.conv.weight}, {@code classifier.weight}) on 3x224x224: growth 32,
 * blocks 6-12-24-16, 64 initial channels (7x7 stride-2 convolution, 3x3 max pool): 7,978,856
 * parameters.
 * <li>{@link #cifarBC}: DenseNet-BC for 3x32x32 (the paper's CIFAR models): a 3x3 convolution to 2k
 * channels, three blocks of (depth - 4) / 6 layers at 32, 16 and 8 pixels. Depth 100, k = 12
 * (densenet-bc-100): 769,162 parameters for 10 classes (the paper's table says 0.8M).
 * </ul>
 */
public final class DenseNet {
    public static final Shape IMAGENET_INPUT = Shape.of(3, 224, 224);
    public static final Shape CIFAR_INPUT = Shape.of(3, 32, 32);

    private DenseNet() { }

    public static Sequential densenet121(Rng rng) {
        return imagenet(32, new int[] {6, 12, 24, 16}, 64, 1000, rng);
    }

    /** An ImageNet DenseNet-BC: growth k, layers per block, initial channels. */
    public static Sequential imagenet(int growth, int[] blocks, int initChannels, int classes, Rng rng) {
        Sequential f = new Sequential()
                .add("conv0", ZooLayers.convNoBias(3, initChannels, 7, 2, 3, rng))   // 3@224 -> 112
                .add("norm0", new BatchNorm2d(initChannels))
                .add("relu0", Activation.relu())
                .add("pool0", new MaxPool2d(Pool2d.Config.of(3, 2, 1)));              // -> 56
        int c = addBlocks(f, initChannels, growth, blocks, rng);                      // -> 28 -> 14 -> 7
        f.add("norm5", new BatchNorm2d(c));
        return new Sequential()
                .add("features", f)
                .add("relu", Activation.relu())
                .add("avgpool", new GlobalAvgPool())
                .add("classifier", new Dense(Dense.Config.of(c, classes).withInit(Dense.WeightInit.PYTORCH_DEFAULT), rng));
    }

    /** DenseNet-BC for 32x32 images: depth 6n + 4 with n layers per block, growth k. */
    public static Sequential cifarBC(int depth, int growth, int classes, Rng rng) {
        if (depth < 10 || (depth - 4) % 6 != 0) throw new IllegalArgumentException("DenseNet-BC depth must be 6n + 4, got " + depth);
        int n = (depth - 4) / 6;
        Sequential f = new Sequential()
                .add("conv0", ZooLayers.convNoBias(3, 2 * growth, 3, 1, 1, rng));      // 3@32 -> 2k@32
        int c = addBlocks(f, 2 * growth, growth, new int[] {n, n, n}, rng);           // -> 16 -> 8
        f.add("norm5", new BatchNorm2d(c));
        return new Sequential()
                .add("features", f)
                .add("relu", Activation.relu())
                .add("avgpool", new GlobalAvgPool())
                .add("classifier", new Dense(Dense.Config.of(c, classes).withInit(Dense.WeightInit.PYTORCH_DEFAULT), rng));
    }

    /** Dense blocks with a compression-0.5 transition after every block but the last; returns the channels. */
    private static int addBlocks(Sequential f, int channels, int growth, int[] blocks, Rng rng) {
        int c = channels;
        for (int b = 0; b < blocks.length; b++) {
            DenseBlock block = new DenseBlock(DenseBlock.config(c, blocks[b], growth), rng);
            f.add("denseblock" + (b + 1), block);
            c = block.config().outChannels();
            if (b < blocks.length - 1) {
                f.add("transition" + (b + 1), DenseBlock.transition(c, c / 2, rng));
                c /= 2;
            }
        }
        return c;
    }
}
