package org.neurite.layers.loss;

import org.neurite.runtime.Tensor;

/**
 * Mean squared error over all elements (PyTorch's MSELoss): mean((x - t)^2); gradient
 * 2 (x - t) / size. The target has as many elements as the output.
 */
public final class MeanSquaredError implements Loss {
    private Tensor grad; // output-shaped

    @Override public double forward(Tensor output, Tensor target) {
        if (target.size() != output.size()) {
            throw new IllegalArgumentException("MeanSquaredError: target " + target.shape() + " does not match output " + output.shape());
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
        if (grad == null) throw new IllegalStateException("MeanSquaredError: backward before forward");
        return grad;
    }
}
