package org.neurite.layers.conv;

import org.neurite.runtime.Device;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.Tensor;

/**
 * One convolution planned for one input shape, split the way cuDNN splits it. Shapes:
 * x {@code [N, C, H, W]}, w {@code [K, C/groups, R, S]}, b {@code [K]}, y {@code [N, K, OH, OW]}.
 * Following the module rule, {@code forward} and {@code backwardData} write their output, while
 * {@code backwardFilter} and {@code backwardBias} add ({@code +=}) into the parameter gradients.
 * All tensors must have the planned shapes; the engine keeps its workspace between calls.
 */
public interface ConvOp {

    /** Plans {@code g} on the engine of {@code device}: the one place an engine is chosen. */
    static ConvOp plan(ConvGeometry g, Device device) {
        return switch (device.kind()) {
            case CPU -> new ConvCpu(g);
            case CUDA -> new ConvCudnn(g, (CudaDevice) device);
        };
    }

    ConvGeometry geometry();

    /** y = conv(x, w) + b; {@code b} may be null (no bias). */
    void forward(Tensor x, Tensor w, Tensor b, Tensor y);

    /** dX = the gradient of the input for dY (written, not accumulated). */
    void backwardData(Tensor dY, Tensor w, Tensor dX);

    /** dW += the gradient of the filter for input x and dY; x must be the input of the last forward (engines reuse work from it). */
    void backwardFilter(Tensor x, Tensor dY, Tensor dW);

    /** dB += dY summed over the batch and the output pixels. */
    void backwardBias(Tensor dY, Tensor dB);

    /** True when this engine computes a following ReLU itself ({@code relu} in the calls below). */
    default boolean fusesRelu() { return false; }

    /**
     * y = relu(conv(x, w) + b) when {@code relu}, else as {@link #forward(Tensor, Tensor, Tensor, Tensor)};
     * only engines that {@link #fusesRelu()} accept {@code relu}.
     */
    default void forward(Tensor x, Tensor w, Tensor b, Tensor y, boolean relu) {
        if (relu) throw new UnsupportedOperationException(getClass().getSimpleName() + " does not fuse ReLU");
        forward(x, w, b, y);
    }

    /**
     * The whole backward pass in one call: dX (written; skipped when null), dW and dB (added to;
     * each skipped when null) for the gradient dY of the output. With {@code relu}, y is the
     * fused forward's output and dY the gradient after the ReLU: the engine applies relu'(y) itself.
     * x must be the input of the last forward when dW is wanted; w is needed for dX.
     */
    default void backward(Tensor x, Tensor y, Tensor dY, Tensor w, boolean relu, Tensor dX, Tensor dW, Tensor dB) {
        if (relu) throw new UnsupportedOperationException(getClass().getSimpleName() + " does not fuse ReLU");
        if (dX != null) backwardData(dY, w, dX);
        if (dW != null) backwardFilter(x, dY, dW);
        if (dB != null) backwardBias(dY, dB);
    }
}
