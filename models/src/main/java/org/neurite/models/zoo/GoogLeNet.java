package org.neurite.models.zoo;

import org.neurite.layers.Concat;
import org.neurite.layers.Module;
import org.neurite.layers.Sequential;
import org.neurite.layers.activation.Activation;
import org.neurite.layers.dense.Dense;
import org.neurite.layers.dropout.Dropout;
import org.neurite.layers.norm.BatchNorm2d;
import org.neurite.layers.pool.GlobalAvgPool;
import org.neurite.layers.pool.MaxPool2d;
import org.neurite.layers.pool.Pool2d;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;

/**
 * GoogLeNet (Inception v1, Szegedy et al. 2015) as torchvision builds it, without the auxiliary
 * heads: 6,624,904 parameters on 3x224x224, torchvision's names ({@code inception4a.branch2.1.conv.weight}).
 *
 * <p>torchvision departs from the paper, and this follows torchvision so the counts and names
 * match: every convolution is a "BasicConv2d" (conv without bias, batch norm with eps 0.001, ReLU),
 * there is no local response normalisation, and the "5x5" branch uses a 3x3 convolution.
 *
 * <p>Deviation: torchvision's stride-2 max pools use {@code ceil_mode=True}; Neurite's pooling has
 * no ceil mode, so those pools (3x3) get padding 1 instead, which gives the same output sizes
 * (112 -> 56 -> 28 -> 14; the 2x2 pool 14 -> 7 needs neither) with windows shifted by one pixel.
 */
public final class GoogLeNet {
    public static final Shape INPUT = Shape.of(3, 224, 224);
    private static final float BN_EPS = 1e-3f;

    private GoogLeNet() { }

    public static Sequential build(Rng rng) { return build(1000, rng); }

    public static Sequential build(int classes, Rng rng) {
        return new Sequential()
                .add("conv1", basicConv(3, 64, 7, 2, 3, rng))                            // 3@224 -> 64@112
                .add("maxpool1", new MaxPool2d(Pool2d.Config.of(3, 2, 1)))                // -> 56
                .add("conv2", basicConv(64, 64, 1, 1, 0, rng))
                .add("conv3", basicConv(64, 192, 3, 1, 1, rng))
                .add("maxpool2", new MaxPool2d(Pool2d.Config.of(3, 2, 1)))                // -> 192@28
                .add("inception3a", inception(192, 64, 96, 128, 16, 32, 32, rng))         // -> 256@28
                .add("inception3b", inception(256, 128, 128, 192, 32, 96, 64, rng))       // -> 480@28
                .add("maxpool3", new MaxPool2d(Pool2d.Config.of(3, 2, 1)))                // -> 14
                .add("inception4a", inception(480, 192, 96, 208, 16, 48, 64, rng))       // -> 512
                .add("inception4b", inception(512, 160, 112, 224, 24, 64, 64, rng))
                .add("inception4c", inception(512, 128, 128, 256, 24, 64, 64, rng))
                .add("inception4d", inception(512, 112, 144, 288, 32, 64, 64, rng))       // -> 528
                .add("inception4e", inception(528, 256, 160, 320, 32, 128, 128, rng))     // -> 832@14
                .add("maxpool4", new MaxPool2d(Pool2d.Config.of(2, 2)))                   // -> 7
                .add("inception5a", inception(832, 256, 160, 320, 32, 128, 128, rng))
                .add("inception5b", inception(832, 384, 192, 384, 48, 128, 128, rng))     // -> 1024@7
                .add("avgpool", new GlobalAvgPool())                                       // -> 1024
                .add("dropout", new Dropout(0.2f, rng.split()))
                .add("fc", new Dense(Dense.Config.of(1024, classes).withInit(Dense.WeightInit.PYTORCH_DEFAULT), rng));
    }

    /**
     * An Inception block: four branches concatenated along the channels, {@code c1 + c3 + c5 + pool}
     * output maps: 1x1; 1x1 reduction then 3x3; 1x1 reduction then the "5x5" (3x3, as torchvision);
     * 3x3 max pool (stride 1) then 1x1 projection.
     */
    public static Concat inception(int in, int c1, int c3reduce, int c3, int c5reduce, int c5, int poolProj, Rng rng) {
        return new Concat()
                .add("branch1", basicConv(in, c1, 1, 1, 0, rng))
                .add("branch2", new Sequential()
                        .add("0", basicConv(in, c3reduce, 1, 1, 0, rng))
                        .add("1", basicConv(c3reduce, c3, 3, 1, 1, rng)))
                .add("branch3", new Sequential()
                        .add("0", basicConv(in, c5reduce, 1, 1, 0, rng))
                        .add("1", basicConv(c5reduce, c5, 3, 1, 1, rng)))
                .add("branch4", new Sequential()
                        .add("0", new MaxPool2d(Pool2d.Config.of(3, 1, 1)))
                        .add("1", basicConv(in, poolProj, 1, 1, 0, rng)));
    }

    /** torchvision's BasicConv2d: conv (no bias), batch norm (eps 0.001), ReLU. */
    static Module basicConv(int in, int out, int kernel, int stride, int pad, Rng rng) {
        return new Sequential()
                .add("conv", ZooLayers.convNoBias(in, out, kernel, stride, pad, rng))
                .add("bn", new BatchNorm2d(out, BN_EPS, 0.1f))
                .add("relu", Activation.relu());
    }
}
