package org.neurite.models.report;

import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.layers.loss.Loss;
import org.neurite.models.data.DataLoader;
import org.neurite.runtime.Tensor;

/**
 * A model's figures on a labelled set: mean loss, top-1 and top-5 accuracy, and the confusion
 * matrix (rows: true class, columns: predicted class) from which per-class precision and recall
 * follow.
 *
 * <pre>{@code
 * Evaluation e = Evaluation.run(model, new SoftmaxCrossEntropy(), loader, 10);
 * e.accuracy(); e.topKAccuracy(); e.precision(3); e.recall(3); e.confusion()[3][5];
 * }</pre>
 */
public final class Evaluation {
    /** k of the top-k accuracy. */
    public static final int TOP_K = 5;

    private final int classes;
    private final long[][] confusion;
    private double lossSum;
    private long samples;
    private long topK;

    private Evaluation(int classes) {
        this.classes = classes;
        this.confusion = new long[classes][classes];
    }

    /** Runs {@code model} in evaluation mode over one epoch of {@code loader}. */
    public static Evaluation run(Module model, Loss loss, DataLoader loader, int classes) {
        Evaluation ev = new Evaluation(classes);
        try (DataLoader.Epoch e = loader.epoch(0)) {
            while (e.next()) {
                Tensor x = e.inputs();
                Tensor y = e.targets();
                Tensor out = model.forward(x, Mode.EVAL); // logits [N, classes]
                double l = loss.forward(out, y);
                ev.add(out, y, l);
            }
        }
        return ev;
    }

    /** Adds a batch: logits {@code out} [N, C], targets [N], and the batch's mean loss. */
    void add(Tensor out, Tensor y, double meanLoss) {
        int n = out.shape().dim(0);
        int c = out.shape().stride0();
        if (c != classes) throw new IllegalArgumentException("model gives " + c + " outputs for " + classes + " classes");
        float[] o = out.data();
        for (int i = 0; i < n; i++) {
            int t = (int) y.get(i);
            int best = 0;
            int higher = 0; // classes scored above the true one
            for (int j = 0; j < c; j++) {
                float v = o[i * c + j];
                if (v > o[i * c + best]) best = j;
                if (v > o[i * c + t]) higher++;
            }
            confusion[t][best]++;
            if (higher < TOP_K) topK++;
        }
        lossSum += meanLoss * n;
        samples += n;
    }

    public int classes() { return classes; }

    public long samples() { return samples; }

    public double loss() { return lossSum / Math.max(1, samples); }

    /** Top-1 accuracy: the trace of the confusion matrix over the samples. */
    public double accuracy() {
        long right = 0;
        for (int k = 0; k < classes; k++) right += confusion[k][k];
        return (double) right / Math.max(1, samples);
    }

    /** Whether top-5 accuracy means anything (5 classes or more). */
    public boolean hasTopK() { return classes >= TOP_K; }

    /** Share of samples whose true class is among the 5 highest scores (ties count in its favour). */
    public double topKAccuracy() { return (double) topK / Math.max(1, samples); }

    /** Of the samples predicted as {@code k}, the share that are {@code k}; NaN when none was predicted. */
    public double precision(int k) {
        long predicted = 0;
        for (int t = 0; t < classes; t++) predicted += confusion[t][k];
        return predicted == 0 ? Double.NaN : (double) confusion[k][k] / predicted;
    }

    /** Of the samples of class {@code k}, the share predicted as {@code k}; NaN when the set has none. */
    public double recall(int k) {
        long actual = support(k);
        return actual == 0 ? Double.NaN : (double) confusion[k][k] / actual;
    }

    /** Samples whose true class is {@code k}. */
    public long support(int k) {
        long s = 0;
        for (long v : confusion[k]) s += v;
        return s;
    }

    /** A copy of the confusion matrix, [true][predicted]. */
    public long[][] confusion() {
        long[][] c = new long[classes][];
        for (int k = 0; k < classes; k++) c[k] = confusion[k].clone();
        return c;
    }
}
