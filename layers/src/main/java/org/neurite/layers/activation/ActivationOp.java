package org.neurite.layers.activation;

import org.neurite.runtime.Device;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.Tensor;

/**
 * Element-wise activations and softmax, split as cuDNN splits them (activation forward/backward,
 * softmax forward/backward). All tensors of one call have the same shape; outputs are written.
 * An op belongs to one module (it may keep per-call state); {@link #forDevice} makes a new one.
 */
public interface ActivationOp {
    /** y = f(x) element-wise; {@code alpha} is the leaky slope or the ELU alpha, ignored otherwise. */
    void forward(Activation.Kind kind, float alpha, Tensor x, Tensor y);

    /** dX = f'(x) * dY, from the forward's input x and output y (each kind uses what is cheaper). */
    void backward(Activation.Kind kind, float alpha, Tensor x, Tensor y, Tensor dY, Tensor dX);

    /** y = softmax(x) over the last dimension (of size {@code classes}). */
    void softmaxForward(Tensor x, Tensor y, int classes);

    /** dX = y * (dY - sum_c(dY_c * y_c)), row by row over the last dimension. */
    void softmaxBackward(Tensor y, Tensor dY, Tensor dX, int classes);

    /** The engine for {@code device}: the one place an activation's engine is chosen. */
    static ActivationOp forDevice(Device device) {
        return switch (device.kind()) {
            case CPU -> new ActivationCpu();
            case CUDA -> new ActivationCudnn((CudaDevice) device);
        };
    }
}
