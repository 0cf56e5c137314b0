package org.neurite.layers.init;

import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;

/**
 * Weight initialisation, in place. Fans as PyTorch computes them: a dense layer [out, in] has
 * fanIn = in and fanOut = out; a convolution [K, C/groups, R, S] has fanIn = C/groups*R*S and
 * fanOut = K*R*S.
 */
public final class Init {
    private Init() { }

    /** He et al. 2015, uniform: U(-b, b) with b = sqrt(6 / fanIn) (ReLU gain sqrt 2). */
    public static void heUniform(Tensor w, int fanIn, Rng rng) {
        float b = (float) Math.sqrt(6.0 / fanIn);
        rng.uniform(w.data(), 0, w.size(), -b, b);
    }

    /** He et al. 2015, normal: N(0, 2 / fanIn). */
    public static void heNormal(Tensor w, int fanIn, Rng rng) {
        rng.normal(w.data(), 0, w.size(), 0f, (float) Math.sqrt(2.0 / fanIn));
    }

    /** Glorot and Bengio 2010, uniform: U(-b, b) with b = sqrt(6 / (fanIn + fanOut)). */
    public static void xavierUniform(Tensor w, int fanIn, int fanOut, Rng rng) {
        float b = (float) Math.sqrt(6.0 / (fanIn + fanOut));
        rng.uniform(w.data(), 0, w.size(), -b, b);
    }

    /** Glorot and Bengio 2010, normal: N(0, 2 / (fanIn + fanOut)). */
    public static void xavierNormal(Tensor w, int fanIn, int fanOut, Rng rng) {
        rng.normal(w.data(), 0, w.size(), 0f, (float) Math.sqrt(2.0 / (fanIn + fanOut)));
    }

    /**
     * PyTorch's default bias init for dense and conv layers: U(-1/sqrt(fanIn), 1/sqrt(fanIn)).
     */
    public static void fanInUniform(Tensor b, int fanIn, Rng rng) {
        float bound = (float) (1.0 / Math.sqrt(fanIn));
        rng.uniform(b.data(), 0, b.size(), -bound, bound);
    }
}
