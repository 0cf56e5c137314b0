package org.neurite.models.zoo;

import org.neurite.layers.Sequential;
import org.neurite.layers.activation.Activation;
import org.neurite.layers.conv.Conv2d;
import org.neurite.layers.dense.Dense;
import org.neurite.layers.dropout.Dropout;
import org.neurite.layers.lrn.LocalResponseNorm;
import org.neurite.layers.pool.MaxPool2d;
import org.neurite.layers.pool.Pool2d;
import org.neurite.layers.shape.Flatten;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;

/**
 * AlexNet as Krizhevsky, Sutskever and Hinton published it in 2012, on one device: 3x227x227
 * input, 96-256-384-384-256 filters, conv1 11x11 stride 4, groups of 2 in conv2, conv4 and conv5
 * (the two-GPU split), local response normalisation after the ReLUs of conv1 and conv2,
 * overlapping 3x3 stride-2 max pooling, dropout 0.5 before fc6 and fc7, fc 4096-4096-1000:
 * 60,965,224 parameters. Names follow Caffe's bvlc_alexnet ({@code conv2.weight}, {@code fc6.bias}),
 * which is this network; torchvision's {@code alexnet} is a different, ungrouped variant.
 *
 * <p>LRN: the paper's formula {@code b = a / (k + alpha * sum a^2)^beta} with size 5, alpha 1e-4,
 * beta 0.75, k 2. Neurite's {@link LocalResponseNorm} divides alpha by the window size (PyTorch,
 * cuDNN, Caffe), so it is given alpha = 5e-4 to compute the paper's function.
 *
 * <p>{@link #cifar} scales it down for 3x32x32: 5x5 and 3x3 filters 64-192-384-256-256 with the
 * same groups, LRN and pooling (32 -> 15 -> 7 -> 3), fc 1024-1024-classes (4,980,554 parameters
 * for 10 classes).
 */
public final class AlexNet {
    public static final Shape INPUT = Shape.of(3, 227, 227);
    public static final Shape CIFAR_INPUT = Shape.of(3, 32, 32);
    /** The paper's LRN: k 2, n 5, alpha 1e-4 (undivided), beta 0.75. */
    static final LocalResponseNorm.Config LRN = LocalResponseNorm.Config.of(5, 5 * 1e-4f, 0.75f, 2f);

    private AlexNet() { }

    public static Sequential build(Rng rng) {
        return new Sequential()
                .add("conv1", conv(3, 96, 11, 4, 0, 1, rng))                // 3@227 -> 96@55
                .add("relu1", Activation.relu())
                .add("norm1", new LocalResponseNorm(LRN))
                .add("pool1", new MaxPool2d(Pool2d.Config.of(3, 2)))        // -> 96@27
                .add("conv2", conv(96, 256, 5, 1, 2, 2, rng))               // -> 256@27, 2 groups
                .add("relu2", Activation.relu())
                .add("norm2", new LocalResponseNorm(LRN))
                .add("pool2", new MaxPool2d(Pool2d.Config.of(3, 2)))        // -> 256@13
                .add("conv3", conv(256, 384, 3, 1, 1, 1, rng))              // -> 384@13, across both halves
                .add("relu3", Activation.relu())
                .add("conv4", conv(384, 384, 3, 1, 1, 2, rng))
                .add("relu4", Activation.relu())
                .add("conv5", conv(384, 256, 3, 1, 1, 2, rng))
                .add("relu5", Activation.relu())
                .add("pool5", new MaxPool2d(Pool2d.Config.of(3, 2)))        // -> 256@6
                .add("flatten", new Flatten())                              // -> 9,216
                .add("drop6", new Dropout(0.5f, rng.split()))
                .add("fc6", new Dense(256 * 6 * 6, 4096, rng))
                .add("relu6", Activation.relu())
                .add("drop7", new Dropout(0.5f, rng.split()))
                .add("fc7", new Dense(4096, 4096, rng))
                .add("relu7", Activation.relu())
                .add("fc8", new Dense(Dense.Config.of(4096, 1000).withInit(Dense.WeightInit.PYTORCH_DEFAULT), rng));
    }

    /** The scaled-down AlexNet for 3x32x32 images. */
    public static Sequential cifar(int classes, Rng rng) {
        return new Sequential()
                .add("conv1", conv(3, 64, 5, 1, 2, 1, rng))                 // 3@32 -> 64@32
                .add("relu1", Activation.relu())
                .add("norm1", new LocalResponseNorm(LRN))
                .add("pool1", new MaxPool2d(Pool2d.Config.of(3, 2)))        // -> 64@15
                .add("conv2", conv(64, 192, 5, 1, 2, 2, rng))               // -> 192@15
                .add("relu2", Activation.relu())
                .add("norm2", new LocalResponseNorm(LRN))
                .add("pool2", new MaxPool2d(Pool2d.Config.of(3, 2)))        // -> 192@7
                .add("conv3", conv(192, 384, 3, 1, 1, 1, rng))
                .add("relu3", Activation.relu())
                .add("conv4", conv(384, 256, 3, 1, 1, 2, rng))
                .add("relu4", Activation.relu())
                .add("conv5", conv(256, 256, 3, 1, 1, 2, rng))
                .add("relu5", Activation.relu())
                .add("pool5", new MaxPool2d(Pool2d.Config.of(3, 2)))        // -> 256@3
                .add("flatten", new Flatten())                              // -> 2,304
                .add("drop6", new Dropout(0.5f, rng.split()))
                .add("fc6", new Dense(256 * 3 * 3, 1024, rng))
                .add("relu6", Activation.relu())
                .add("drop7", new Dropout(0.5f, rng.split()))
                .add("fc7", new Dense(1024, 1024, rng))
                .add("relu7", Activation.relu())
                .add("fc8", new Dense(Dense.Config.of(1024, classes).withInit(Dense.WeightInit.PYTORCH_DEFAULT), rng));
    }

    private static Conv2d conv(int in, int out, int k, int stride, int pad, int groups, Rng rng) {
        return new Conv2d(Conv2d.config(in, out, k).stride(stride).padding(pad).groups(groups).build(), rng);
    }
}
