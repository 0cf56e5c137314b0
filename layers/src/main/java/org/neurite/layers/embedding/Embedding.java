package org.neurite.layers.embedding;

import java.util.List;
import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.layers.Param;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * A lookup table (PyTorch's {@code nn.Embedding}): token ids of any shape, stored as floats, e.g.
 * {@code [T, N]}, become vectors {@code [T, N, dim]}; parameter {@code weight [vocab, dim]},
 * initialised N(0, 1) as PyTorch does. The backward adds each output row's gradient into the row
 * of its token (scatter-add); ids have no gradient, so it returns null and must come first.
 * Ids on a CUDA device run {@link EmbeddingCuda} (the weight must be there too: {@code Modules.moveTo}).
 * <pre>{@code
 * Embedding emb = new Embedding(10_000, 128, rng);
 * Tensor v = emb.forward(ids, Mode.TRAIN);   // ids [T, N] -> [T, N, 128]
 * }</pre>
 */
public final class Embedding extends Module {
    private final int vocab;
    private final int dim;
    private final Param weight; // [vocab, dim]
    private Tensor ids;
    private int[] rows;         // the checked ids of the last forward
    private Tensor output;
    private Shape planned;      // the input shape the buffers are for
    private EmbeddingCuda cuda; // the engine of ids on a CUDA device

    public Embedding(int vocab, int dim, Rng rng) {
        if (vocab < 1 || dim < 1) throw new IllegalArgumentException("Embedding sizes must be >= 1, got vocab " + vocab + ", dim " + dim);
        this.vocab = vocab;
        this.dim = dim;
        Tensor w = Tensor.zeros(vocab, dim);
        rng.normal(w.data(), 0, w.size(), 0f, 1f);
        this.weight = Param.of("weight", w);
        this.needsInputGrad = false;
    }

    public Param weight() { return weight; }

    public int vocab() { return vocab; }

    public int dim() { return dim; }

    @Override public Shape outputShape(Shape inputShape) {
        return Shape.of(TokenIds.append(inputShape.dims(), dim));
    }

    @Override public Tensor forward(Tensor x, Mode mode) {
        int n = x.size();
        if (!x.device().isCpu()) {
            if (cuda == null || cuda.device() != x.device()) cuda = EmbeddingCuda.on("Embedding", x.device());
            if (!Tensor.fits(output, outputShape(x.shape()), x.device())) output = Tensor.zeros(outputShape(x.shape()), x.device());
            planned = x.shape();
            cuda.gather(x, weight.value(), output, dim);
            ids = x;
            return output;
        }
        if (planned == null || !planned.equals(x.shape()) || !output.device().isCpu()) {
            output = Tensor.zeros(outputShape(x.shape()));
            rows = new int[n];
            planned = x.shape();
        }
        float[] w = weight.value().data();
        float[] y = output.data();
        for (int i = 0; i < n; i++) {
            int id = TokenIds.at("Embedding", x, i, vocab);
            rows[i] = id;
            System.arraycopy(w, id * dim, y, i * dim, dim);
        }
        ids = x;
        return output;
    }

    /** Scatter-adds dY rows into the weight gradient; returns null (ids have no gradient). */
    @Override public Tensor backward(Tensor dY) {
        if (ids == null) throw new IllegalStateException("Embedding: backward before forward");
        if (!dY.shape().equals(output.shape())) {
            throw new IllegalArgumentException("Embedding: gradient " + dY.shape() + " does not match output " + output.shape());
        }
        if (!dY.device().isCpu()) {
            cuda.scatterAdd(dY, weight.grad(), dim);
            return null;
        }
        float[] g = weight.grad().data();
        float[] d = dY.data();
        for (int i = 0; i < rows.length; i++) {
            int off = rows[i] * dim;
            int src = i * dim;
            for (int j = 0; j < dim; j++) g[off + j] += d[src + j];
        }
        return null;
    }

    @Override public List<Param> params() { return List.of(weight); }

    @Override public String describe() { return "Embedding(" + vocab + " -> " + dim + ")"; }
}
