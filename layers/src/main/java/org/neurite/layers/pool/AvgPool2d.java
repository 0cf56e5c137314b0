package org.neurite.layers.pool;

/**
 * Average pooling: each output is the sum of its window divided by the full window size
 * {@code kernelH * kernelW}, padding counted as zeros. This is PyTorch's default
 * ({@code count_include_pad = true}) and cuDNN's {@code CUDNN_POOLING_AVERAGE_COUNT_INCLUDE_PADDING}.
 *
 * <pre>{@code
 * AvgPool2d pool = new AvgPool2d(Pool2d.Config.of(2, 2));
 * }</pre>
 */
public final class AvgPool2d extends Pool2d {
    public AvgPool2d(Config config) {
        super(config);
    }

    @Override PoolOp.Kind kind() { return PoolOp.Kind.AVG; }
}
