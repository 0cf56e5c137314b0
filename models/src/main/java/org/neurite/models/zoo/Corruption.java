package org.neurite.models.zoo;

import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * Input corruption for a denoising autoencoder (Vincent et al. 2008), active in training only:
 * masking noise sets each input to 0 with probability {@code p}; Gaussian noise adds
 * {@code N(0, sigma^2)}. In {@link Mode#EVAL} the input passes through unchanged (the same tensor).
 * The noise comes from a seeded {@link Rng} owned by the layer, so a fixed seed gives the same
 * corruption on every run. Gradients: masked inputs get none, Gaussian noise passes them through.
 * An input on a CUDA device runs on {@link CorruptionCuda}: the same draws from the same {@link Rng},
 * applied on the device, so CPU and GPU runs of one seed corrupt the same inputs.
 *
 * <pre>{@code
 * Corruption mask = Corruption.masking(0.3, new Rng(7));
 * Corruption gauss = Corruption.gaussian(0.2, new Rng(7));
 * }</pre>
 */
public final class Corruption extends Module {
    /** The two kinds of corruption. */
    public enum Kind { MASKING, GAUSSIAN }

    private final Kind kind;
    private final double level;    // p for masking, sigma for Gaussian
    private final Rng rng;
    private Tensor y;
    private Tensor dX;
    private boolean[] kept;        // masking: which inputs survived the last forward
    private boolean trained;       // whether the last forward corrupted
    private CorruptionCuda cuda;   // the engine of a CUDA input; null on the CPU

    private Corruption(Kind kind, double level, Rng rng) {
        this.kind = kind;
        this.level = level;
        this.rng = rng;
    }

    /** Each input is zeroed with probability {@code p} in [0, 1). */
    public static Corruption masking(double p, Rng rng) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("masking probability must be in [0, 1), got " + p);
        return new Corruption(Kind.MASKING, p, rng);
    }

    /** Adds Gaussian noise of standard deviation {@code sigma} >= 0. */
    public static Corruption gaussian(double sigma, Rng rng) {
        if (!(sigma >= 0)) throw new IllegalArgumentException("noise sigma must be >= 0, got " + sigma);
        return new Corruption(Kind.GAUSSIAN, sigma, rng);
    }

    public Kind kind() { return kind; }

    @Override public Shape outputShape(Shape inputShape) { return inputShape; }

    @Override public Tensor forward(Tensor x, Mode mode) {
        trained = mode == Mode.TRAIN;
        if (!trained) return x;
        if (!x.device().isCpu()) return forwardCuda(x);
        if (!Tensor.fits(y, x.shape(), x.device())) {
            y = Tensor.zeros(x.shape());
            kept = kind == Kind.MASKING ? new boolean[x.size()] : null;
        }
        float[] in = x.data(), out = y.data();
        if (kind == Kind.MASKING) {
            float p = (float) level;
            for (int i = 0; i < in.length; i++) {
                kept[i] = rng.nextFloat() >= p;
                out[i] = kept[i] ? in[i] : 0f;
            }
        } else {
            for (int i = 0; i < in.length; i++) out[i] = (float) (in[i] + level * rng.nextGaussian());
        }
        return y;
    }

    @Override public Tensor backward(Tensor dY) {
        if (!needsInputGrad) return null;
        if (!trained || kind == Kind.GAUSSIAN) return dY;
        if (!Tensor.fits(dX, dY.shape(), dY.device())) dX = replace(dX, dY);
        if (!dY.device().isCpu()) {
            cuda.backwardMasked(dY, dX);
            return dX;
        }
        float[] g = dY.data(), d = dX.data();
        for (int i = 0; i < g.length; i++) d[i] = kept[i] ? g[i] : 0f;
        return dX;
    }

    // The noise is drawn on the host from the same Rng, element by element (CorruptionCuda).
    private Tensor forwardCuda(Tensor x) {
        if (cuda == null || cuda.device() != x.device()) {
            cuda = new CorruptionCuda(kind, level, rng, org.neurite.runtime.cuda.CudaTensors.cuda(x.device()));
        }
        if (!Tensor.fits(y, x.shape(), x.device())) y = replace(y, x);
        cuda.forward(x, y);
        return y;
    }

    // A buffer shaped like `like` on its device; a replaced device buffer goes back to its allocator.
    private static Tensor replace(Tensor old, Tensor like) {
        if (old != null && !old.device().isCpu()) old.close();
        return Tensor.zeros(like.shape(), like.device());
    }

    @Override public String describe() {
        return kind == Kind.MASKING ? "Corruption(masking p=" + level + ")" : "Corruption(gaussian sigma=" + level + ")";
    }
}
