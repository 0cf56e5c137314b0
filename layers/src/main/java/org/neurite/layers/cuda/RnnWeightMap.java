package org.neurite.layers.cuda;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.neurite.layers.rnn.RnnLayout;

/**
 * Where cuDNN must find each matrix and bias of an RNN in the flat weight buffer for the CPU
 * engine's layout ({@link RnnLayout}) to be cuDNN's, as a pure function; and the check of what
 * {@code cudnnGetRNNWeightParams} reports against it. The engine queries every
 * {@code (pseudoLayer, linLayerID)} when it is planned and refuses to run on a mismatch, so a
 * model's weights mean the same thing on both devices or it fails loudly.
 *
 * <p>For G gates, hidden size H and layer input size I: linLayerID {@code id < G} is gate id's input
 * matrix {@code [H, I]} (cuDNN reports {@code [1, H, I]}) and input bias {@code [H]} (reported
 * {@code [1, H, 1]}); {@code id >= G} is gate {@code id - G}'s recurrent matrix {@code [H, H]} and
 * recurrent bias. Offsets are in floats from the start of the buffer.
 */
public final class RnnWeightMap {
    /** One linear layer's matrix and bias: offsets in floats and dims as cuDNN describes them. */
    public record Entry(int pseudoLayer, int linLayerId, long matrixOffset, int[] matrixDims, long biasOffset, int[] biasDims) {
        @Override public boolean equals(Object o) {
            return o instanceof Entry e && e.pseudoLayer == pseudoLayer && e.linLayerId == linLayerId && e.matrixOffset == matrixOffset
                    && Arrays.equals(e.matrixDims, matrixDims) && e.biasOffset == biasOffset && Arrays.equals(e.biasDims, biasDims);
        }

        @Override public int hashCode() {
            return Long.hashCode(matrixOffset) * 31 + Long.hashCode(biasOffset);
        }

        @Override public String toString() {
            return "pseudo-layer " + pseudoLayer + ", linLayerID " + linLayerId + ": matrix at " + matrixOffset + " " + Arrays.toString(matrixDims)
                    + ", bias at " + biasOffset + " " + Arrays.toString(biasDims);
        }
    }

    private RnnWeightMap() { }

    /** The entries cuDNN must report for {@code layout}, pseudo-layer by pseudo-layer, linLayerID 0 .. 2G-1. */
    public static List<Entry> expected(RnnLayout layout) {
        int g = layout.gates(), h = layout.hiddenSize(), dirs = layout.directions();
        List<Entry> out = new ArrayList<>();
        for (int l = 0; l < layout.numLayers(); l++) {
            int in = layout.layerInputSize(l);
            for (int d = 0; d < dirs; d++) {
                int p = l * dirs + d;
                for (int id = 0; id < 2 * g; id++) {
                    boolean input = id < g;
                    int gate = input ? id : id - g;
                    int cols = input ? in : h;
                    long m = (input ? layout.inputWeights(l, d) : layout.recurrentWeights(l, d)) + (long) gate * h * cols;
                    long b = (input ? layout.inputBias(l, d) : layout.recurrentBias(l, d)) + (long) gate * h;
                    out.add(new Entry(p, id, m, new int[] {1, h, cols}, b, new int[] {1, h, 1}));
                }
            }
        }
        return out;
    }

    /** Linear layers per pseudo-layer: 2G. */
    public static int linLayers(RnnLayout layout) {
        return 2 * layout.gates();
    }

    /**
     * Compares what cuDNN reported with {@link #expected}; returns one line per difference (empty
     * when the layouts agree). Dims are compared by element count and the trailing two dimensions,
     * so a reported {@code [H, I]} or {@code [1, H, I]} both pass.
     */
    public static List<String> mismatches(RnnLayout layout, List<Entry> reported) {
        List<Entry> want = expected(layout);
        List<String> diff = new ArrayList<>();
        if (reported.size() != want.size()) diff.add("cuDNN reported " + reported.size() + " linear layers, the layout has " + want.size());
        for (int i = 0; i < Math.min(want.size(), reported.size()); i++) {
            Entry w = want.get(i), r = reported.get(i);
            if (w.matrixOffset != r.matrixOffset || !sameShape(w.matrixDims, r.matrixDims)
                    || w.biasOffset != r.biasOffset || !sameShape(w.biasDims, r.biasDims)) {
                diff.add("expected " + w + "; cuDNN has " + r);
            }
        }
        return diff;
    }

    /** Same element count and the same last two dimensions (a bias [1, H, 1] is [H, 1]). */
    static boolean sameShape(int[] a, int[] b) {
        if (a.length < 2 || b.length < 2) return Arrays.equals(a, b);
        return count(a) == count(b) && a[a.length - 1] == b[b.length - 1] && a[a.length - 2] == b[b.length - 2];
    }

    private static long count(int[] dims) {
        long n = 1;
        for (int v : dims) n *= v;
        return n;
    }
}
