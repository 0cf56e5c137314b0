package org.neurite.layers.pool;

import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.runtime.Device;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * A 2-D pooling module over NCHW input: the window configuration, shape inference, planning and the
 * reuse of its output and input gradient while the input shape stays the same. The subclasses
 * choose what a window computes ({@link MaxPool2d}, {@link AvgPool2d}).
 */
public abstract sealed class Pool2d extends Module permits MaxPool2d, AvgPool2d {

    /**
     * Window {@code kernelH x kernelW}, moved by the stride, over the input zero-padded on each side
     * (padding at most half the window, as PyTorch requires). Build with {@link #of(int, int)} or
     * {@link #of(int, int, int)}; the canonical constructor takes non-square values.
     */
    public record Config(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {
        public Config {
            if (kernelH <= 0 || kernelW <= 0 || strideH <= 0 || strideW <= 0 || padH < 0 || padW < 0) {
                throw new IllegalArgumentException("pool config: kernel and stride must be positive, padding >= 0: " + this);
            }
            if (padH > kernelH / 2 || padW > kernelW / 2) {
                throw new IllegalArgumentException("pool config: padding " + padH + "x" + padW
                        + " must be at most half the window " + kernelH + "x" + kernelW);
            }
        }

        /** Square window {@code kernel}, stride {@code stride}, no padding. */
        public static Config of(int kernel, int stride) { return of(kernel, stride, 0); }

        /** Square window {@code kernel}, stride {@code stride}, padding {@code pad} on every side. */
        public static Config of(int kernel, int stride, int pad) {
            return new Config(kernel, kernel, stride, stride, pad, pad);
        }

        String describe(String type) {
            String s = type + "(" + kernelH + "x" + kernelW + ", stride " + (strideH == strideW ? strideH : strideH + "x" + strideW);
            if (padH != 0 || padW != 0) s += ", pad " + (padH == padW ? padH : padH + "x" + padW);
            return s + ")";
        }
    }

    private final Config config;
    private PoolOp op;          // planned for the last input shape
    private Shape opShape;      // ... that shape (kept: the geometry builds a new Shape per call)
    private Device opDevice;    // ... and device
    private Tensor y;           // [N, C, OH, OW]
    private Tensor dX;          // [N, C, H, W]
    private Tensor input;       // the input of the last forward

    Pool2d(Config config) {
        this.config = config;
    }

    /** What a window computes. */
    abstract PoolOp.Kind kind();

    public Config config() { return config; }

    @Override public Shape outputShape(Shape inputShape) {
        return PoolGeometry.of(describe(), config, inputShape).outputShape();
    }

    @Override public Tensor forward(Tensor x, Mode mode) {
        if (op == null || !opShape.equals(x.shape()) || opDevice != x.device()) {
            op = PoolOp.plan(kind(), PoolGeometry.of(describe(), config, x.shape()), x.device());
            opShape = x.shape();
            opDevice = x.device();
            if (!Tensor.fits(y, op.geometry().outputShape(), x.device())) y = Tensor.zeros(op.geometry().outputShape(), x.device());
        }
        op.forward(x, y);
        input = x;
        return y;
    }

    @Override public Tensor backward(Tensor dY) {
        if (input == null) throw new IllegalStateException(describe() + ": backward before forward");
        if (!dY.shape().equals(y.shape())) {
            throw new IllegalArgumentException(describe() + ": gradient " + dY.shape() + " does not match output " + y.shape());
        }
        if (!needsInputGrad) return null;
        if (!Tensor.fits(dX, input.shape(), input.device())) dX = Tensor.zeros(input.shape(), input.device());
        op.backward(input, y, dY, dX);
        return dX;
    }

    @Override public String describe() { return config.describe(typeName()); }
}
