package org.neurite.layers.loss;

import org.neurite.runtime.Tensor;

/**
 * Binary cross-entropy on logits (PyTorch's BCEWithLogitsLoss, mean over all elements). Per
 * element, with sigmoid folded in stably: l = max(x, 0) - x t + log(1 + e^{-|x|}); gradient
 * (sigmoid(x) - t) / size. The target holds probabilities in [0, 1] and has as many elements as
 * the output (e.g. output {@code [N, 1]}, target {@code [N]}). An output on a CUDA device runs on
 * {@link LossesCuda} (same sums, in double, in a fixed order; the same error for a bad target).
 */
public final class BinaryCrossEntropy implements Loss {
    private static final String WHO = "BinaryCrossEntropy";

    private Tensor grad; // output-shaped
    private LossesCuda cuda;   // the engine of a CUDA output; null on the CPU
    private boolean onDevice;  // the last forward ran on a CUDA device

    @Override public double forward(Tensor output, Tensor target) {
        if (target.size() != output.size()) {
            throw new IllegalArgumentException(WHO + ": target " + target.shape() + " does not match output " + output.shape());
        }
        onDevice = !output.device().isCpu();
        if (onDevice) {
            cuda = LossesCuda.on(cuda, output.device());
            return cuda.bce(WHO, output, target);
        }
        if (!Tensor.hasShape(grad, output.shape())) grad = Tensor.zeros(output.shape());
        float[] x = output.data();
        float[] t = target.data();
        float[] g = grad.data();
        float invSize = 1f / x.length;
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            float ti = t[i];
            if (!(ti >= 0f && ti <= 1f)) {
                throw new IllegalArgumentException(WHO + ": target[" + i + "] = " + ti + " is not a probability in [0, 1]");
            }
            float xi = x[i];
            sum += Math.max(xi, 0f) - (double) xi * ti + Math.log1p(Math.exp(-Math.abs(xi)));
            float sig = 1f / (1f + (float) Math.exp(-xi));
            g[i] = (sig - ti) * invSize;
        }
        return sum / x.length;
    }

    @Override public Tensor backward() {
        if (onDevice) return cuda.grad();
        if (grad == null) throw new IllegalStateException(WHO + ": backward before forward");
        return grad;
    }
}
