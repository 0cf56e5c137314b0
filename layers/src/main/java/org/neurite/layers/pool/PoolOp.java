package org.neurite.layers.pool;

import org.neurite.runtime.Device;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.Tensor;

/**
 * One pooling planned for one input shape (cuDNN's {@code cudnnPoolingForward/Backward}).
 * x {@code [N, C, H, W]}, y {@code [N, C, OH, OW]}; tensors are read in their planned NCHW layout,
 * so a flat view of the same size (e.g. {@code [N, C]} for a global pool) is accepted.
 * {@code backward} writes dX (activation gradients are written, not accumulated).
 */
public interface PoolOp {

    /** What a window computes. */
    enum Kind {
        /** The largest value; padding counts as -infinity. */
        MAX,
        /** The mean over the whole window, padding counted as zeros (PyTorch's count_include_pad = true). */
        AVG
    }

    /** Plans {@code kind} over {@code g} on the engine of {@code device}: the one place an engine is chosen. */
    static PoolOp plan(Kind kind, PoolGeometry g, Device device) {
        return switch (device.kind()) {
            case CPU -> new PoolCpu(kind, g);
            case CUDA -> new PoolCudnn(kind, g, (CudaDevice) device);
        };
    }

    Kind kind();

    PoolGeometry geometry();

    void forward(Tensor x, Tensor y);

    /** dX for dY, given the x and y of the last forward (cuDNN needs them; the CPU engine keeps argmax instead). */
    void backward(Tensor x, Tensor y, Tensor dY, Tensor dX);
}
