package org.neurite.layers.dense;

import org.neurite.runtime.Device;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.Tensor;

/**
 * The fully connected op, split the way cuBLAS-based engines split it. Shapes: input X {@code [N, in]},
 * weight W {@code [out, in]}, bias b {@code [out]}, output Y {@code [N, out]}.
 *
 * <p>Accumulation rule: {@link #forward} and {@link #backwardData} <em>write</em> their outputs;
 * {@link #backwardWeights} and {@link #backwardBias} <em>add</em> into theirs.
 */
public interface DenseOp {
    /** Y = X * W^T + b; {@code b} may be null (no bias). */
    void forward(Tensor x, Tensor w, Tensor b, Tensor y);

    /** dX = dY * W. */
    void backwardData(Tensor dY, Tensor w, Tensor dX);

    /** dW += dY^T * X. */
    void backwardWeights(Tensor dY, Tensor x, Tensor dW);

    /** db += column sums of dY. */
    void backwardBias(Tensor dY, Tensor db);

    /** True when the engine implements {@link #relu} and {@link #reluGradient} (a fused ReLU). */
    default boolean fusesRelu() { return false; }

    /** y = max(y, 0) in place, as a separate ReLU computes it. */
    default void relu(Tensor y) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not fuse a ReLU");
    }

    /** g = y > 0 ? dY : 0, the ReLU's backward from its output y (y > 0 exactly where its input was). */
    default void reluGradient(Tensor y, Tensor dY, Tensor g) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not fuse a ReLU");
    }

    /** The engine for {@code device}: the one place a dense layer's engine is chosen. */
    static DenseOp forDevice(Device device) {
        return switch (device.kind()) {
            case CPU -> DenseCpu.INSTANCE;
            case CUDA -> new DenseCublas((CudaDevice) device);
        };
    }
}
