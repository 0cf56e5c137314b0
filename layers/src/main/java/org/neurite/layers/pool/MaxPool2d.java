package org.neurite.layers.pool;

/**
 * Max pooling: each output is the largest input in its window; padding acts as -infinity, so it is
 * never chosen, and a NaN in a window makes its output NaN. Windows may overlap (stride < kernel).
 * The gradient goes to the window's first largest input (remembered in forward); where windows
 * overlap, the gradients of a shared winner add up.
 *
 * <pre>{@code
 * MaxPool2d pool = new MaxPool2d(Pool2d.Config.of(2, 2));         // LeNet, VGG
 * MaxPool2d stem = new MaxPool2d(Pool2d.Config.of(3, 2, 1));      // ResNet-18 stem
 * }</pre>
 */
public final class MaxPool2d extends Pool2d {
    public MaxPool2d(Config config) {
        super(config);
    }

    @Override PoolOp.Kind kind() { return PoolOp.Kind.MAX; }
}
