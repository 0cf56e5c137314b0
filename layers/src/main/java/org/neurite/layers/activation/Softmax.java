package org.neurite.layers.activation;

import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.runtime.Device;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * Softmax over the last dimension: {@code [N, C]} gives a distribution over C per row (any leading
 * dimensions are rows too). For training a classifier use {@code loss.SoftmaxCrossEntropy} on the
 * logits instead: it is fused and numerically stable; this module is for inference and for nets
 * that need probabilities in the middle.
 */
public final class Softmax extends Module {
    private ActivationOp op;
    private Device opDevice;
    private Tensor output;    // same shape as the input
    private Tensor gradInput; // same shape as the input

    @Override public Shape outputShape(Shape inputShape) {
        if (inputShape.rank() < 1 || inputShape.dim(-1) < 1) {
            throw new IllegalArgumentException("Softmax needs a non-empty last dimension, got " + inputShape);
        }
        return inputShape;
    }

    @Override public Tensor forward(Tensor x, Mode mode) {
        Shape s = outputShape(x.shape());
        if (!Tensor.fits(output, s, x.device())) output = Tensor.zeros(s, x.device());
        if (op == null || opDevice != x.device()) {
            op = ActivationOp.forDevice(x.device());
            opDevice = x.device();
        }
        op.softmaxForward(x, output, s.dim(-1));
        return output;
    }

    @Override public Tensor backward(Tensor dY) {
        if (output == null) throw new IllegalStateException("Softmax: backward before forward");
        if (!dY.shape().equals(output.shape())) {
            throw new IllegalArgumentException("Softmax: gradient " + dY.shape() + " does not match output " + output.shape());
        }
        if (!needsInputGrad) return null;
        if (!Tensor.fits(gradInput, output.shape(), output.device())) gradInput = Tensor.zeros(output.shape(), output.device());
        op.softmaxBackward(output, dY, gradInput, output.shape().dim(-1));
        return gradInput;
    }
}
