package org.neurite.models.zoo;

import org.neurite.layers.Sequential;
import org.neurite.layers.conv.Conv2d;
import org.neurite.layers.dense.Dense;
import org.neurite.layers.lenet1998.LeNet1998Tables;
import org.neurite.layers.lenet1998.PartialConv2d;
import org.neurite.layers.lenet1998.ScaledTanh;
import org.neurite.layers.lenet1998.Subsampling;
import org.neurite.layers.shape.Flatten;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;

/**
 * LeNet-5 as LeCun, Bottou, Bengio and Haffner published it in 1998 ("Gradient-based learning
 * applied to document recognition", section II.B): a 32x32 input, trainable subsampling, the
 * partial C3 connection table, and the scaled tanh {@code 1.7159 tanh(2a/3)} as the squashing
 * function after every layer up to F6. Per-layer parameters as in the paper: C1 156, S2 12,
 * C3 1,516, S4 32, C5 48,120, F6 10,164 (60,000 before the output).
 *
 * <p>Deviation: the paper's output is 10 Euclidean RBF units with fixed 7x12 bitmap centres; here
 * it is a dense layer 84 -> 10 (850 parameters) whose logits go to softmax cross-entropy.
 */
public final class LeNet1998 {
    /** MNIST's 28x28 digits padded by 2 on each side, as in the paper. */
    public static final Shape INPUT = Shape.of(1, 32, 32);
    public static final int CLASSES = 10;

    private LeNet1998() { }

    public static Sequential build(Rng rng) {
        return new Sequential()
                .add("c1", new Conv2d(Conv2d.config(1, 6, 5).build(), rng))                           // 1@32x32 -> 6@28x28, 156
                .add("c1_act", new ScaledTanh())
                .add("s2", new Subsampling(6))                                                      // -> 6@14x14, 12
                .add("s2_act", new ScaledTanh())
                .add("c3", new PartialConv2d(PartialConv2d.config(LeNet1998Tables.c3(), 5), rng))   // -> 16@10x10, 1,516
                .add("c3_act", new ScaledTanh())
                .add("s4", new Subsampling(16))                                                     // -> 16@5x5, 32
                .add("s4_act", new ScaledTanh())
                .add("c5", new Conv2d(Conv2d.config(16, 120, 5).build(), rng))                      // -> 120@1x1, 48,120
                .add("c5_act", new ScaledTanh())
                .add("flatten", new Flatten())                                                      // -> 120
                .add("f6", new Dense(Dense.Config.of(120, 84).withInit(Dense.WeightInit.XAVIER_UNIFORM), rng)) // 10,164
                .add("f6_act", new ScaledTanh())
                .add("output", new Dense(Dense.Config.of(84, CLASSES).withInit(Dense.WeightInit.XAVIER_UNIFORM), rng)); // 850
    }
}
