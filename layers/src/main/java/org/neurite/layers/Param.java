package org.neurite.layers;

import org.neurite.runtime.Tensor;

/**
 * A learnable tensor paired with its gradient (Caffe's Blob: data + diff). Optimizers walk
 * {@code model.params()} and know nothing else about layers. {@code name} is the qualified name
 * used in checkpoints, e.g. {@code conv1.weight}.
 */
public record Param(String name, Tensor value, Tensor grad) {
    public Param {
        if (!value.shape().equals(grad.shape())) {
            throw new IllegalArgumentException(name + ": gradient shape " + grad.shape() + " != value shape " + value.shape());
        }
    }

    /**
     * A fresh parameter with a zero CPU gradient of the same shape ({@link Modules#moveTo} moves
     * value and gradient; checkpoints wrap device buffers with this, so it allocates no device memory).
     */
    public static Param of(String name, Tensor value) {
        return new Param(name, value, Tensor.zeros(value.shape()));
    }

    /** The same tensors under {@code prefix + name} (containers qualify their children's names). */
    public Param withPrefix(String prefix) {
        return new Param(prefix + name, value, grad);
    }
}
