package org.neurite.layers.shape;

import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * Flattens everything after the batch dimension: {@code [N, C, H, W] -> [N, C*H*W]}. Zero-copy:
 * the output is a view of the input's storage, and backward is a view of the gradient in the
 * input's shape. The views are cached, so the same tensors in give the same tensors out.
 *
 * <p>On a CUDA device a view shares its source's device storage and holds a reference to it
 * ({@link Tensor#reshape}), so the memory stays valid while the view is in use even if the source
 * is closed. A cached view is closed when it is replaced: without that, each new input (a fresh
 * batch tensor per step when Flatten comes first) would keep its memory from going back to the
 * allocator. Nothing is ever copied, on any device.
 */
public final class Flatten extends Module {
    private Shape inputShape;
    private Tensor lastInput;   // the tensor the cached output views
    private Tensor output;      // [N, C*H*W] view of lastInput
    private Tensor lastGrad;    // the gradient the cached gradInput views
    private Tensor gradInput;   // input-shaped view of lastGrad

    @Override public Shape outputShape(Shape in) {
        if (in.rank() < 1) throw new IllegalArgumentException("Flatten needs a batch dimension, got " + in);
        return in.flattenFrom1();
    }

    @Override public Tensor forward(Tensor x, Mode mode) {
        if (x != lastInput) {
            // Upstream layers reuse their output tensors, so this runs once per shape.
            Tensor old = output;
            output = x.reshape(outputShape(x.shape()));
            if (old != null) old.close();   // releases the view's reference to the old input (no-op on the CPU)
            lastInput = x;
            inputShape = x.shape();
        }
        return output;
    }

    @Override public Tensor backward(Tensor dY) {
        if (inputShape == null) throw new IllegalStateException("Flatten: backward before forward");
        if (!needsInputGrad) return null;
        if (dY != lastGrad || !gradInput.shape().equals(inputShape)) {
            Tensor old = gradInput;
            gradInput = dY.reshape(inputShape);
            if (old != null) old.close();
            lastGrad = dY;
        }
        return gradInput;
    }
}
