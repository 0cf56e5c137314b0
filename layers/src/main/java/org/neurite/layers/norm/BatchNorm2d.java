package org.neurite.layers.norm;

import org.neurite.runtime.Shape;

/**
 * Batch normalisation of images {@code [N, C, H, W]}: one mean and variance per channel over
 * N*H*W values (PyTorch's {@code nn.BatchNorm2d}; semantics in {@link BatchNorm}).
 * <pre>{@code
 * Module bn1 = new BatchNorm2d(64);                    // eps 1e-5, momentum 0.1
 * Module bn = new BatchNorm2d(64, 1e-3f, 0.01f);      // Keras/TF-style eps and momentum
 * }</pre>
 */
public final class BatchNorm2d extends BatchNorm {
    public BatchNorm2d(int features) {
        this(features, DEFAULT_EPS, DEFAULT_MOMENTUM);
    }

    public BatchNorm2d(int features, float eps, float momentum) {
        super(features, eps, momentum);
    }

    @Override void checkRank(Shape s) {
        if (s.rank() != 4) throw new IllegalArgumentException(describe() + ": expects [N, C, H, W], got " + s);
    }
}
