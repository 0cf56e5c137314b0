package org.neurite.layers.loss;

import org.neurite.runtime.Tensor;

/**
 * Mean squared error over all elements (PyTorch's MSELoss): mean((x - t)^2); gradient
 * 2 (x - t) / size. The target has as many elements as the output. An output on a CUDA device
 * runs on {@link LossesCuda} (same sums, in double, in a fixed order).
 */
public final class MeanSquaredError implements Loss {
    private Tensor grad; // output-shaped
    private LossesCuda cuda;   // the engine of a CUDA output; null on the CPU
    private boolean onDevice;  // the last forward ran on a CUDA device

    @Override public double forward(Tensor output, Tensor target) {
        if (target.size() != output.size()) {
            throw new IllegalArgumentException("MeanSquaredError: target " + target.shape() + " does not match output " + output.shape());
        }
        onDevice = !output.device().isCpu();
        if (onDevice) {
            cuda = LossesCuda.on(cuda, output.device());
            return cuda.mse(output, target);
        }
        if (!Tensor.hasShape(grad, output.shape())) grad = Tensor.zeros(output.shape());
        float[] x = output.data();
        float[] t = target.data();
        float[] g = grad.data();
        float scale = 2f / x.length;
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            float d = x[i] - t[i];
            sum += (double) d * d;
            g[i] = scale * d;
        }
        return sum / x.length;
    }

    @Override public Tensor backward() {
        if (onDevice) return cuda.grad();
        if (grad == null) throw new IllegalStateException("MeanSquaredError: backward before forward");
        return grad;
    }
}
