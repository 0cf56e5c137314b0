package org.neurite.layers.dropout;

import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * Inverted dropout (PyTorch's {@code nn.Dropout(p)}): in {@link Mode#TRAIN} each element is zeroed
 * with probability {@code p} and the survivors are scaled by {@code 1 / (1 - p)}, so evaluation is
 * the identity and needs no rescaling. The mask is drawn from the {@link Rng} given at construction,
 * element by element in order, so the same seed gives the same masks; it is kept (as the factor
 * 0 or 1/(1-p) per element) for backward, in a buffer reused while the shape stays the same.
 * <pre>{@code
 * Module drop = new Dropout(0.5f, rng.split());     // AlexNet's classifier
 * }</pre>
 */
public final class Dropout extends Module {
    private final float p;
    private final float scale;
    private final Rng rng;

    private Tensor mask;        // input-shaped: 0 or scale (TRAIN); unused in EVAL
    private Tensor y;           // input-shaped
    private Tensor dX;          // input-shaped
    private Mode lastMode;
    private DropoutCuda cuda;   // the engine of a CUDA input (same Rng, same masks as the CPU)
    private boolean frozen;     // tests: reuse the last mask instead of drawing a new one

    /** Drop probability {@code p} in [0, 1); masks drawn from {@code rng}. */
    public Dropout(float p, Rng rng) {
        if (!(p >= 0f && p < 1f)) throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        this.p = p;
        this.scale = 1f / (1f - p);
        this.rng = rng;
    }

    public float p() { return p; }

    /** Test hook: while frozen, TRAIN forwards reuse the last mask (finite differences need a fixed function). */
    void freezeMask(boolean freeze) { this.frozen = freeze; }

    @Override public Shape outputShape(Shape inputShape) { return inputShape; }

    @Override public Tensor forward(Tensor x, Mode mode) {
        lastMode = mode;
        if (mode == Mode.EVAL || p == 0f) return x;    // identity: no copy
        if (!x.device().isCpu()) return forwardCuda(x);
        if (!Tensor.fits(y, x.shape(), x.device())) {
            y = Tensor.zeros(x.shape());
            mask = Tensor.zeros(x.shape());
            frozen = false;                             // a new shape needs a new mask
        }
        float[] xd = x.data(), yd = y.data(), md = mask.data();
        if (!frozen) {
            // Sequential: one stream, drawn in element order, is what makes a seed reproducible.
            for (int i = 0; i < md.length; i++) md[i] = rng.nextFloat() < p ? 0f : scale;
        }
        for (int i = 0; i < md.length; i++) yd[i] = xd[i] * md[i];
        return y;
    }

    @Override public Tensor backward(Tensor dY) {
        if (lastMode == null) throw new IllegalStateException(describe() + ": backward before forward");
        if (!needsInputGrad) return null;
        if (lastMode == Mode.EVAL || p == 0f) return dY;   // identity
        if (!dY.shape().equals(y.shape())) {
            throw new IllegalArgumentException(describe() + ": gradient " + dY.shape() + " does not match output " + y.shape());
        }
        if (!Tensor.fits(dX, dY.shape(), dY.device())) dX = Tensor.zeros(dY.shape(), dY.device());
        if (!dY.device().isCpu()) {
            cuda.backward(dY, dX);
            return dX;
        }
        float[] dy = dY.data(), dx = dX.data(), md = mask.data();
        for (int i = 0; i < md.length; i++) dx[i] = dy[i] * md[i];
        return dX;
    }

    // The mask is drawn on the host from the same Rng, element by element (DropoutCuda.drawMask).
    private Tensor forwardCuda(Tensor x) {
        if (cuda == null || cuda.device() != x.device()) {
            cuda = new DropoutCuda(p, rng, org.neurite.runtime.cuda.CudaTensors.cuda(x.device()));
        }
        if (!Tensor.fits(y, x.shape(), x.device())) {
            y = Tensor.zeros(x.shape(), x.device());
            mask = null;
            frozen = false;
        }
        if (frozen && cuda.mask() != null && cuda.mask().shape().equals(x.shape())) {
            cuda.forwardSameMask(x, y);
        } else {
            cuda.forward(x, y);
        }
        return y;
    }

    /** Bytes of the tensors this module allocated (mask, output, input gradient). */
    public long activationBytes() {
        return 4L * ((mask == null ? 0 : mask.size()) + (y == null ? 0 : y.size()) + (dX == null ? 0 : dX.size()));
    }

    @Override public String describe() { return "Dropout(" + p + ")"; }
}
