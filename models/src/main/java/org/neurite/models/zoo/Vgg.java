package org.neurite.models.zoo;

import org.neurite.layers.Sequential;
import org.neurite.layers.activation.Activation;
import org.neurite.layers.dense.Dense;
import org.neurite.layers.dropout.Dropout;
import org.neurite.layers.norm.BatchNorm2d;
import org.neurite.layers.pool.MaxPool2d;
import org.neurite.layers.pool.Pool2d;
import org.neurite.layers.shape.Flatten;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;

/**
 * VGG (Simonyan and Zisserman 2015) in torchvision's layout and names: {@code features.<i>} numbers
 * every convolution, batch norm, ReLU and pool as torchvision does, {@code classifier.0/3/6} are
 * the dense layers. ImageNet models (3x224x224, no batch norm): VGG-11 132,863,336 and VGG-16
 * 138,357,544 parameters. torchvision's adaptive 7x7 average pool is left out: at 224x224 the
 * features are already 7x7 and it is the identity.
 *
 * <p>{@link #cifar} is VGG-11 with batch norm for 3x32x32: five pools take 32x32 to 1x1, and a
 * single dense layer 512 -> classes replaces the 4096-wide classifier (9,231,114 parameters for
 * 10 classes).
 */
public final class Vgg {
    public static final Shape IMAGENET_INPUT = Shape.of(3, 224, 224);
    public static final Shape CIFAR_INPUT = Shape.of(3, 32, 32);
    /** Configuration A (11 weight layers); 0 marks a 2x2 max pool. */
    static final int[] VGG11 = {64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0};
    /** Configuration D (16 weight layers). */
    static final int[] VGG16 = {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0};

    private Vgg() { }

    public static Sequential vgg11(Rng rng) { return imagenet(VGG11, rng); }

    public static Sequential vgg16(Rng rng) { return imagenet(VGG16, rng); }

    /** VGG-11 with batch norm for 32x32 images and a 512 -> classes head. */
    public static Sequential cifar(int classes, Rng rng) {
        return new Sequential()
                .add("features", features(VGG11, true, rng))                           // 3@32x32 -> 512@1x1
                .add("flatten", new Flatten())
                .add("classifier", new Dense(Dense.Config.of(512, classes).withInit(Dense.WeightInit.PYTORCH_DEFAULT), rng));
    }

    private static Sequential imagenet(int[] cfg, Rng rng) {
        Sequential classifier = new Sequential()
                .add("0", new Dense(512 * 7 * 7, 4096, rng))
                .add("1", Activation.relu())
                .add("2", new Dropout(0.5f, rng.split()))
                .add("3", new Dense(4096, 4096, rng))
                .add("4", Activation.relu())
                .add("5", new Dropout(0.5f, rng.split()))
                .add("6", new Dense(Dense.Config.of(4096, 1000).withInit(Dense.WeightInit.PYTORCH_DEFAULT), rng));
        return new Sequential()
                .add("features", features(cfg, false, rng))                              // 3@224x224 -> 512@7x7
                .add("flatten", new Flatten())                                            // -> 25,088
                .add("classifier", classifier);
    }

    /** torchvision's make_layers: 3x3 convolutions with padding 1, each with (BN and) ReLU. */
    static Sequential features(int[] cfg, boolean batchNorm, Rng rng) {
        Sequential f = new Sequential();
        int in = 3, i = 0;
        for (int v : cfg) {
            if (v == 0) {
                f.add(Integer.toString(i++), new MaxPool2d(Pool2d.Config.of(2, 2)));
                continue;
            }
            f.add(Integer.toString(i++), ZooLayers.conv(in, v, 3, 1, 1, rng));
            if (batchNorm) f.add(Integer.toString(i++), new BatchNorm2d(v));
            f.add(Integer.toString(i++), Activation.relu());
            in = v;
        }
        return f;
    }
}
