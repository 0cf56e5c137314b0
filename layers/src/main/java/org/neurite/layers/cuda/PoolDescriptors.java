package org.neurite.layers.cuda;

import org.neurite.layers.pool.PoolGeometry;
import org.neurite.layers.pool.PoolOp;

/**
 * The numbers a cuDNN pooling is described with, derived from a {@link PoolGeometry} by a pure
 * function. Max pooling treats padding as -infinity and average pooling counts it as zeros
 * ({@code CUDNN_POOLING_AVERAGE_COUNT_INCLUDE_PADDING}), as the CPU engine does; NaN propagates,
 * as {@code Math.max} does on the CPU.
 *
 * @param mode    {@code cudnnPoolingMode}
 * @param nanProp {@code CUDNN_PROPAGATE_NAN}
 * @param window  {@code [kh, kw]}
 * @param pad     {@code [ph, pw]}
 * @param stride  {@code [sh, sw]}
 * @param xDims   {@code [n, c, h, w]}
 * @param yDims   {@code [n, c, oh, ow]}
 */
public record PoolDescriptors(int mode, int nanProp, int[] window, int[] pad, int[] stride, int[] xDims, int[] yDims) {
    /** {@code CUDNN_POOLING_MAX}. */
    public static final int MAX = 0;
    /** {@code CUDNN_POOLING_AVERAGE_COUNT_INCLUDE_PADDING}. */
    public static final int AVERAGE_INCLUDE_PADDING = 1;
    /** {@code CUDNN_POOLING_MAX_DETERMINISTIC}. */
    public static final int MAX_DETERMINISTIC = 3;
    /** {@code CUDNN_PROPAGATE_NAN}. */
    public static final int PROPAGATE_NAN = 1;

    /** The descriptors of {@code kind} over {@code g}; {@code deterministic} picks the deterministic max. */
    public static PoolDescriptors of(PoolOp.Kind kind, PoolGeometry g, boolean deterministic) {
        int mode = switch (kind) {
            case MAX -> deterministic ? MAX_DETERMINISTIC : MAX;
            case AVG -> AVERAGE_INCLUDE_PADDING;
        };
        return new PoolDescriptors(mode, PROPAGATE_NAN, new int[] {g.kh(), g.kw()}, new int[] {g.ph(), g.pw()},
                new int[] {g.sh(), g.sw()}, new int[] {g.n(), g.c(), g.h(), g.w()}, new int[] {g.n(), g.c(), g.oh(), g.ow()});
    }
}
