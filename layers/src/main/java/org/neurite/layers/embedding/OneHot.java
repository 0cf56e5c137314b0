package org.neurite.layers.embedding;

import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * Token ids of any shape, stored as floats, e.g. {@code [T, N]}, to one-hot vectors
 * {@code [T, N, vocab]} (PyTorch's {@code F.one_hot(x, vocab).float()}). No parameters; ids have
 * no gradient, so the backward returns null and the layer must come first. Ids on a CUDA device
 * run {@code one_hot_f32} ({@link EmbeddingCuda}), which writes every element.
 */
public final class OneHot extends Module {
    private final int vocab;
    private Tensor output;
    private int[] hot;       // the position set to 1 in each row by the last forward, or -1
    private boolean ran;
    private Shape planned;   // the input shape the buffers are for
    private EmbeddingCuda cuda;

    public OneHot(int vocab) {
        if (vocab < 1) throw new IllegalArgumentException("OneHot: vocab must be >= 1, got " + vocab);
        this.vocab = vocab;
        this.needsInputGrad = false;
    }

    public int vocab() { return vocab; }

    @Override public Shape outputShape(Shape inputShape) {
        return Shape.of(TokenIds.append(inputShape.dims(), vocab));
    }

    @Override public Tensor forward(Tensor x, Mode mode) {
        float[] y;
        if (!x.device().isCpu()) {
            if (cuda == null || cuda.device() != x.device()) cuda = EmbeddingCuda.on("OneHot", x.device());
            if (!Tensor.fits(output, outputShape(x.shape()), x.device())) output = Tensor.zeros(outputShape(x.shape()), x.device());
            planned = null;     // the CPU path re-plans (its clearing relies on its own last call)
            cuda.oneHot(x, output, vocab);
            ran = true;
            return output;
        }
        if (planned == null || !planned.equals(x.shape()) || !output.device().isCpu()) {
            output = Tensor.zeros(outputShape(x.shape()));
            planned = x.shape();
            hot = new int[x.size()];
            y = output.data();
        } else {
            // Only the ones of the last call need clearing.
            y = output.data();
            for (int i = 0; i < hot.length; i++) if (hot[i] >= 0) y[hot[i]] = 0f;
        }
        java.util.Arrays.fill(hot, -1);
        for (int i = 0; i < hot.length; i++) {
            int at = i * vocab + TokenIds.at("OneHot", x, i, vocab);
            y[at] = 1f;
            hot[i] = at;
        }
        ran = true;
        return output;
    }

    /** Ids have no gradient: returns null. */
    @Override public Tensor backward(Tensor dY) {
        if (!ran) throw new IllegalStateException("OneHot: backward before forward");
        return null;
    }

    @Override public String describe() { return "OneHot(" + vocab + ")"; }
}
