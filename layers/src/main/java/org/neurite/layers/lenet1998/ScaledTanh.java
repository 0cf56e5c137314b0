package org.neurite.layers.lenet1998;

import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * The squashing function of LeCun et al. 1998 (Appendix A): {@code f(a) = A tanh(S a)} with
 * {@code A = 1.7159} and {@code S = 2/3}, chosen so that f(1) = 1 and f(-1) = -1 and the gain is
 * close to 1 over the normal operating range. Its derivative is
 * {@code A S (1 - tanh^2(S a)) = S (A - f(a)^2 / A)}, computed from the output. A CUDA input
 * runs {@link ScaledTanhCuda}.
 */
public final class ScaledTanh extends Module {
    /** The amplitude A. */
    public static final float A = 1.7159f;
    /** The slope S at the origin divided by A. */
    public static final float S = 2f / 3f;
    private static final int GRAIN = 1 << 14;

    private Tensor y;
    private Tensor dX;
    private float[] yd;     // the current call's operands, read by the loop bodies built once
    private float[] xd;
    private float[] gd;
    private float[] dxd;
    private final Parallel.RangeBody forwardBody = (from, to) -> {
        for (int i = from; i < to; i++) yd[i] = A * (float) Math.tanh(S * xd[i]);
    };
    private final Parallel.RangeBody backwardBody = (from, to) -> {
        for (int i = from; i < to; i++) dxd[i] = gd[i] * S * (A - yd[i] * yd[i] / A);
    };

    @Override public Shape outputShape(Shape inputShape) { return inputShape; }

    @Override public Tensor forward(Tensor x, Mode mode) {
        if (!Tensor.fits(y, x.shape(), x.device())) y = Tensor.zeros(x.shape(), x.device());
        if (!x.device().isCpu()) {
            ScaledTanhCuda.forward(x, y);
            return y;
        }
        xd = x.data();
        yd = y.data();
        Parallel.forRange(xd.length, GRAIN, forwardBody);
        xd = null;
        return y;
    }

    @Override public Tensor backward(Tensor dY) {
        if (y == null) throw new IllegalStateException(describe() + ": backward before forward");
        if (!dY.shape().equals(y.shape())) {
            throw new IllegalArgumentException(describe() + ": gradient " + dY.shape() + " does not match output " + y.shape());
        }
        if (!needsInputGrad) return null;
        if (!Tensor.fits(dX, y.shape(), y.device())) dX = Tensor.zeros(y.shape(), y.device());
        if (!y.device().isCpu()) {
            ScaledTanhCuda.backward(y, dY, dX);
            return dX;
        }
        yd = y.data();
        gd = dY.data();
        dxd = dX.data();
        Parallel.forRange(yd.length, GRAIN, backwardBody);
        gd = null;
        return dX;
    }

    @Override public String describe() { return "ScaledTanh(1.7159 tanh(2a/3))"; }
}
