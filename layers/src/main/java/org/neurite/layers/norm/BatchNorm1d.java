package org.neurite.layers.norm;

import org.neurite.runtime.Shape;

/**
 * Batch normalisation of features {@code [N, C]} (or sequences {@code [N, C, L]}): one mean and
 * variance per channel over N (times L) values (PyTorch's {@code nn.BatchNorm1d}; semantics in
 * {@link BatchNorm}).
 * <pre>{@code
 * Module bn = new BatchNorm1d(4096);
 * }</pre>
 */
public final class BatchNorm1d extends BatchNorm {
    public BatchNorm1d(int features) {
        this(features, DEFAULT_EPS, DEFAULT_MOMENTUM);
    }

    public BatchNorm1d(int features, float eps, float momentum) {
        super(features, eps, momentum);
    }

    @Override void checkRank(Shape s) {
        if (s.rank() != 2 && s.rank() != 3) throw new IllegalArgumentException(describe() + ": expects [N, C] or [N, C, L], got " + s);
    }
}
