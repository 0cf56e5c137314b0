package org.neurite.layers.lrn;

import org.neurite.runtime.Device;
import org.neurite.runtime.cuda.CudaTensors;
import org.neurite.runtime.Tensor;

/**
 * Cross-channel local response normalisation planned for one input shape {@code [N, C, spatial]},
 * split as cuDNN splits it ({@code cudnnLRNCrossChannelForward} / {@code ...Backward}). All
 * tensors have the planned shape; y and dX are written. {@code backward} takes the x and y of the
 * last forward (the engine keeps that forward's scale).
 */
public interface LrnOp {

    /** Plans on the engine of {@code device}: the one place an engine is chosen. */
    static LrnOp plan(LocalResponseNorm.Config config, int n, int channels, int spatial, Device device) {
        return switch (device.kind()) {
            case CPU -> new LrnCpu(config, n, channels, spatial);
            case CUDA -> new LrnCudnn(config, n, channels, spatial, CudaTensors.cuda(device));
        };
    }

    /** y_c = x_c * (k + alpha / size * sum over the window of c of x^2) ^ -beta. */
    void forward(Tensor x, Tensor y);

    /** dX for dY, from the last forward's x and y. */
    void backward(Tensor x, Tensor y, Tensor dY, Tensor dX);
}
