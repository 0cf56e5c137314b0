package org.neurite.layers.rnn;

import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * Where each matrix and bias lives in an RNN's one flat weight buffer: cuDNN's order
 * ({@code cudnnGetRNNWeightParams}). Pseudo-layers follow one another, {@code p = layer * D + dir}
 * (D = 2 when bidirectional, dir 1 the reverse direction); each holds, for G gates, hidden size H and
 * layer input size I (the input size for layer 0, {@code D * H} above):
 * <pre>
 *   W    [G*H, I]   input matrices, gate by gate (cuDNN linLayerID 0 .. G-1, each [H, I])
 *   R    [G*H, H]   recurrent matrices, gate by gate (linLayerID G .. 2G-1, each [H, H])
 *   b_W  [G*H]      input biases, gate by gate
 *   b_R  [G*H]      recurrent biases, gate by gate
 * </pre>
 * Gate order: LSTM i, f, g, o; GRU r, z, n; simple RNN one gate. W, R, b_W and b_R are exactly
 * PyTorch's {@code weight_ih_l{k}}, {@code weight_hh_l{k}}, {@code bias_ih_l{k}}, {@code bias_hh_l{k}}
 * (suffix {@code _reverse} for the reverse direction), so import and export are plain copies:
 * <pre>{@code
 * RnnLayout lay = rnn.layout();
 * Tensor wih = lay.extract(rnn.weights().value(), RnnLayout.Part.WEIGHT_IH, 0, 0); // [4H, in]
 * lay.put(rnn.weights().value(), RnnLayout.Part.WEIGHT_IH, 0, 0, wih);
 * }</pre>
 */
public final class RnnLayout {
    /** The four blocks of a pseudo-layer, with PyTorch's parameter name stems. */
    public enum Part {
        WEIGHT_IH("weight_ih"), WEIGHT_HH("weight_hh"), BIAS_IH("bias_ih"), BIAS_HH("bias_hh");

        private final String stem;

        Part(String stem) { this.stem = stem; }

        public String stem() { return stem; }
    }

    private final CellType cell;
    private final int inputSize;
    private final int hidden;
    private final int layers;
    private final int dirs;
    private final int[] base; // start of each pseudo-layer
    private final int size;

    public RnnLayout(CellType cell, int inputSize, int hiddenSize, int numLayers, boolean bidirectional) {
        this.cell = cell;
        this.inputSize = inputSize;
        this.hidden = hiddenSize;
        this.layers = numLayers;
        this.dirs = bidirectional ? 2 : 1;
        this.base = new int[layers * dirs];
        long off = 0;
        for (int l = 0; l < layers; l++) {
            for (int d = 0; d < dirs; d++) {
                base[l * dirs + d] = (int) off;
                off += pseudoLayerSize(l);
            }
        }
        if (off > Integer.MAX_VALUE) throw new IllegalArgumentException("RNN weights too large for one array: " + off);
        this.size = (int) off;
    }

    public CellType cell() { return cell; }

    public int gates() { return cell.gates(); }

    public int hiddenSize() { return hidden; }

    public int numLayers() { return layers; }

    /** 1, or 2 when bidirectional. */
    public int directions() { return dirs; }

    /** Input width of layer {@code l}: the input size for layer 0, D * H above it. */
    public int layerInputSize(int l) { return l == 0 ? inputSize : dirs * hidden; }

    /** Floats in the whole buffer. */
    public int size() { return size; }

    private long pseudoLayerSize(int l) {
        long gh = (long) gates() * hidden;
        return gh * layerInputSize(l) + gh * hidden + 2 * gh;
    }

    private int base(int l, int d) {
        if (l < 0 || l >= layers || d < 0 || d >= dirs) {
            throw new IndexOutOfBoundsException("layer " + l + ", direction " + d + " of " + layers + " x " + dirs);
        }
        return base[l * dirs + d];
    }

    /** Offset of W [G*H, I] of layer l, direction d. */
    public int inputWeights(int l, int d) { return base(l, d); }

    /** Offset of R [G*H, H]. */
    public int recurrentWeights(int l, int d) { return base(l, d) + gates() * hidden * layerInputSize(l); }

    /** Offset of b_W [G*H]. */
    public int inputBias(int l, int d) { return recurrentWeights(l, d) + gates() * hidden * hidden; }

    /** Offset of b_R [G*H]. */
    public int recurrentBias(int l, int d) { return inputBias(l, d) + gates() * hidden; }

    /** Offset of {@code part} of layer l, direction d. */
    public int offset(Part part, int l, int d) {
        return switch (part) {
            case WEIGHT_IH -> inputWeights(l, d);
            case WEIGHT_HH -> recurrentWeights(l, d);
            case BIAS_IH -> inputBias(l, d);
            case BIAS_HH -> recurrentBias(l, d);
        };
    }

    /** Shape of {@code part} of layer l: [G*H, I], [G*H, H], [G*H] or [G*H]. */
    public Shape shape(Part part, int l) {
        int gh = gates() * hidden;
        return switch (part) {
            case WEIGHT_IH -> Shape.of(gh, layerInputSize(l));
            case WEIGHT_HH -> Shape.of(gh, hidden);
            case BIAS_IH, BIAS_HH -> Shape.of(gh);
        };
    }

    /** PyTorch's name for {@code part} of layer l, direction d, e.g. {@code weight_hh_l1_reverse}. */
    public String pytorchName(Part part, int l, int d) {
        return part.stem() + "_l" + l + (d == 1 ? "_reverse" : "");
    }

    /** A copy of {@code part} of layer l, direction d out of the flat buffer {@code weights}. */
    public Tensor extract(Tensor weights, Part part, int l, int d) {
        checkBuffer(weights);
        Tensor t = Tensor.zeros(shape(part, l));
        System.arraycopy(weights.data(), offset(part, l, d), t.data(), 0, t.size());
        return t;
    }

    /** Copies {@code src} (of the part's shape) into the flat buffer {@code weights}. */
    public void put(Tensor weights, Part part, int l, int d, Tensor src) {
        checkBuffer(weights);
        Shape s = shape(part, l);
        if (!src.shape().equals(s)) {
            throw new IllegalArgumentException(pytorchName(part, l, d) + ": expected shape " + s + ", got " + src.shape());
        }
        System.arraycopy(src.data(), 0, weights.data(), offset(part, l, d), src.size());
    }

    private void checkBuffer(Tensor weights) {
        if (weights.size() != size) throw new IllegalArgumentException("RNN weight buffer has " + weights.size() + " floats, layout needs " + size);
    }
}
