package org.neurite.models.zoo;

import org.neurite.layers.Sequential;
import org.neurite.layers.activation.Activation;
import org.neurite.layers.conv.Conv2d;
import org.neurite.layers.dense.Dense;
import org.neurite.layers.pool.MaxPool2d;
import org.neurite.layers.pool.Pool2d;
import org.neurite.layers.shape.Flatten;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;

/**
 * LeNet-5 as the W1 workload defines it (shared/BENCHMARKS.md): the modern variant with ReLU,
 * max pooling and a padded first convolution, 61,706 parameters. Parameter names match a PyTorch
 * module with attributes conv1, conv2, fc1, fc2, fc3.
 */
public final class LeNet5 {
    public static final Shape INPUT = Shape.of(1, 28, 28);
    public static final int CLASSES = 10;

    private LeNet5() { }

    public static Sequential build(Rng rng) {
        return new Sequential()
                .add("conv1", new Conv2d(Conv2d.config(1, 6, 5).padding(2).build(), rng)) // 1@28x28 -> 6@28x28
                .add("relu1", Activation.relu())
                .add("pool1", new MaxPool2d(Pool2d.Config.of(2, 2)))                                        // -> 6@14x14
                .add("conv2", new Conv2d(Conv2d.config(6, 16, 5).build(), rng))           // -> 16@10x10
                .add("relu2", Activation.relu())
                .add("pool2", new MaxPool2d(Pool2d.Config.of(2, 2)))                                        // -> 16@5x5
                .add("flatten", new Flatten())                                            // -> 400
                .add("fc1", new Dense(400, 120, rng))
                .add("relu3", Activation.relu())
                .add("fc2", new Dense(120, 84, rng))
                .add("relu4", Activation.relu())
                .add("fc3", new Dense(Dense.Config.of(84, CLASSES).withInit(Dense.WeightInit.XAVIER_UNIFORM), rng)); // logits: no ReLU follows
    }
}
