package org.neurite.layers.lrn;

import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.runtime.Device;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * Local response normalisation across channels (Krizhevsky et al. 2012), with PyTorch's
 * {@code nn.LocalResponseNorm(size, alpha, beta, k)} semantics exactly:
 * {@code y_c = x_c / (k + alpha / size * sum_{c' in W(c)} x_{c'}^2) ^ beta}, where
 * {@code W(c) = [c - size/2, c + (size-1)/2]} (integer division) clipped to the channels; alpha is
 * divided by the window size as PyTorch and cuDNN do (the AlexNet paper's alpha is not).
 * Parameter-free; input {@code [N, C, ...]}, output of the same shape.
 * <pre>{@code
 * Module lrn = new LocalResponseNorm(LocalResponseNorm.Config.of(5, 1e-4f, 0.75f, 2f));   // AlexNet
 * Module torchDefault = new LocalResponseNorm(LocalResponseNorm.Config.of(5));          // alpha 1e-4, beta 0.75, k 1
 * }</pre>
 */
public final class LocalResponseNorm extends Module {

    /** Window {@code size} (channels), {@code alpha}, {@code beta}, {@code k}. */
    public record Config(int size, float alpha, float beta, float k) {
        public Config {
            if (size <= 0 || !(k > 0) || !(alpha >= 0) || !(beta >= 0)) {
                throw new IllegalArgumentException("local response norm: size and k must be positive, alpha and beta >= 0: " + this);
            }
        }

        /** PyTorch's defaults: alpha 1e-4, beta 0.75, k 1. */
        public static Config of(int size) { return new Config(size, 1e-4f, 0.75f, 1f); }

        public static Config of(int size, float alpha, float beta, float k) { return new Config(size, alpha, beta, k); }
    }

    private final Config config;
    private LrnOp op;
    private Device plannedDevice;
    private Shape planned;
    private Tensor y;           // input-shaped
    private Tensor dX;          // input-shaped
    private Tensor input;       // the last forward's input

    public LocalResponseNorm(Config config) {
        this.config = config;
    }

    public Config config() { return config; }

    @Override public Shape outputShape(Shape inputShape) {
        if (inputShape.rank() < 2) throw new IllegalArgumentException(describe() + ": expects [N, C, ...], got " + inputShape);
        return inputShape;
    }

    @Override public Tensor forward(Tensor x, Mode mode) {
        Shape s = outputShape(x.shape());
        if (!s.equals(planned) || plannedDevice != x.device()) {
            op = LrnOp.plan(config, s.dim(0), s.dim(1), s.size() / (s.dim(0) * s.dim(1)), x.device());
            planned = s;
            plannedDevice = x.device();
            if (!Tensor.fits(y, s, x.device())) y = Tensor.zeros(s, x.device());
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

    /** Bytes of the tensors this module and its engine allocated (output, input gradient, scale, workspace). */
    public long activationBytes() {
        long f = y == null ? 0 : 3L * y.size();
        return 4 * (f + (dX == null ? 0 : dX.size()));
    }

    @Override public String describe() {
        return "LocalResponseNorm(" + config.size() + ", alpha " + config.alpha() + ", beta " + config.beta() + ", k " + config.k() + ")";
    }
}
