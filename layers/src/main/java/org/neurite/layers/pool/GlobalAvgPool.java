package org.neurite.layers.pool;

import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.runtime.Device;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * The mean of every channel over its whole plane: {@code [N, C, H, W] -> [N, C]} (flattened, as
 * Keras' GlobalAveragePooling2D, so a dense layer can follow directly, as in ResNet's head).
 * It is an average pool whose window is the whole input, planned per input shape.
 */
public final class GlobalAvgPool extends Module {
    private PoolOp op;          // planned for the last input shape
    private Device opDevice;    // ... and device
    private Tensor y;           // [N, C]
    private Tensor dX;          // [N, C, H, W]
    private Tensor input;       // the input of the last forward

    @Override public Shape outputShape(Shape in) {
        if (in.rank() != 4) throw new IllegalArgumentException(describe() + ": input " + in + " is not NCHW (rank 4)");
        return Shape.of(in.dim(0), in.dim(1));
    }

    @Override public Tensor forward(Tensor x, Mode mode) {
        if (op == null || !op.geometry().inputShape().equals(x.shape()) || opDevice != x.device()) {
            Shape out = outputShape(x.shape());
            Pool2d.Config whole = new Pool2d.Config(x.shape().dim(2), x.shape().dim(3), 1, 1, 0, 0);
            op = PoolOp.plan(PoolOp.Kind.AVG, PoolGeometry.of(describe(), whole, x.shape()), x.device());
            opDevice = x.device();
            if (!Tensor.fits(y, out, x.device())) y = Tensor.zeros(out, x.device());
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
}
