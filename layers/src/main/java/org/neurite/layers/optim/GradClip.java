package org.neurite.layers.optim;

import java.util.List;
import org.neurite.layers.Param;
import org.neurite.runtime.Kernels;

/** Gradient clipping, applied between backward and the optimizer step. */
public final class GradClip {
    private GradClip() { }

    /**
     * Scales all gradients together so their global L2 norm is at most {@code maxNorm}, as PyTorch's
     * {@code clip_grad_norm_} does (factor maxNorm / (norm + 1e-6) when below 1). Returns the norm
     * before clipping. A non-finite norm leaves the gradients untouched; the caller sees it in the
     * return value and can skip the step. Gradients on a CUDA device (all on the same one) are
     * clipped there by {@link GradClipCuda}: the same sums in double, in a fixed order; the norm
     * comes back rounded to float.
     */
    public static double clipByGlobalNorm(List<Param> params, double maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("maxNorm must be > 0, got " + maxNorm);
        if (GradClipCuda.onDevice(params)) return GradClipCuda.clip(params, maxNorm);
        double sq = 0;
        for (int i = 0; i < params.size(); i++) {
            float[] g = params.get(i).grad().data();
            sq += Kernels.sumSquares(g.length, g, 0);
        }
        double norm = Math.sqrt(sq);
        double factor = maxNorm / (norm + 1e-6);
        if (Double.isFinite(norm) && factor < 1) {
            for (int i = 0; i < params.size(); i++) {
                float[] g = params.get(i).grad().data();
                Kernels.scale(g.length, (float) factor, g, 0);
            }
        }
        return norm;
    }
}
