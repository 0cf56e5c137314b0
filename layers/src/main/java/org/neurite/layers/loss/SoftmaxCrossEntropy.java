package org.neurite.layers.loss;

import org.neurite.runtime.Parallel;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * Softmax followed by negative log-likelihood, fused (PyTorch's CrossEntropyLoss on logits, mean
 * over the batch). Per row: loss = log(sum_j e^{x_j}) - x_y, computed stably as
 * m + log(sum_j e^{x_j - m}) with m the row's max; gradient = (softmax(x) - onehot(y)) / N.
 *
 * <p>Output {@code [N, C]} of logits (more leading dimensions are more rows, e.g. {@code [T, N, C]});
 * target {@code [N]} of class indices stored as floats. The forward also records each row's
 * prediction (argmax), so accuracy costs nothing extra: {@link #correct()}, {@link #predictions()}.
 */
public final class SoftmaxCrossEntropy implements Loss {
    private static final String WHO = "SoftmaxCrossEntropy";
    /** Elements per parallel chunk. */
    private static final int GRAIN = 1 << 14;

    private Tensor grad;        // [N, C]: softmax after forward, the gradient after backward
    private double[] rowLoss;   // [N]
    private int[] labels;       // [N]
    private int[] predictions;  // [N]
    private int rows;
    private int classes;
    private int correct;
    private boolean gradReady;
    private float[] logits;     // the current forward's output data, only during forward
    private SoftmaxCrossEntropyCuda cuda;   // the engine of a CUDA output; null on the CPU
    private boolean onDevice;   // the last forward ran on a CUDA device

    // Loop bodies built once, so a step allocates nothing.
    private final Parallel.RangeBody forwardRows = (from, to) -> {
        for (int r = from; r < to; r++) rowLoss[r] = softmaxRow(logits, grad.data(), r, classes);
    };
    private final Parallel.RangeBody backwardRows = (from, to) -> {
        for (int r = from; r < to; r++) gradientRow(grad.data(), r, classes);
    };

    @Override public double forward(Tensor output, Tensor target) {
        Shape s = output.shape();
        classes = ClassTargets.classes(WHO, s);
        rows = s.size() / classes;
        onDevice = !output.device().isCpu();
        if (onDevice) {
            if (rowLoss == null || rowLoss.length != rows) {
                rowLoss = new double[rows];
                labels = new int[rows];
                predictions = new int[rows];
            }
            if (cuda == null || cuda.device() != output.device()) {
                cuda = new SoftmaxCrossEntropyCuda(org.neurite.runtime.cuda.CudaTensors.cuda(output.device()));
            }
            cuda.forward(WHO, output, target, rows, classes, labels, rowLoss, predictions);
            gradReady = true;   // the kernel wrote the gradient
        } else {
            if (!Tensor.hasShape(grad, s)) {
                grad = Tensor.zeros(s);
                rowLoss = new double[rows];
                labels = new int[rows];
                predictions = new int[rows];
            }
            ClassTargets.read(WHO, target, rows, classes, labels);
            logits = output.data();
            Parallel.forRange(rows, Math.max(1, GRAIN / classes), forwardRows);
            logits = null;
            gradReady = false;
        }
        // Summed in row order, so the result does not depend on the thread count.
        double sum = 0;
        int right = 0;
        for (int r = 0; r < rows; r++) {
            sum += rowLoss[r];
            if (predictions[r] == labels[r]) right++;
        }
        correct = right;
        return sum / rows;
    }

    /** Writes softmax(x_r) into p, records the argmax, returns the row's loss. */
    private double softmaxRow(float[] x, float[] p, int r, int c) {
        int off = r * c;
        int best = 0;
        float max = x[off];
        for (int j = 1; j < c; j++) {
            if (x[off + j] > max) {
                max = x[off + j];
                best = j;
            }
        }
        predictions[r] = best;
        double sum = 0;
        for (int j = 0; j < c; j++) {
            float e = (float) Math.exp(x[off + j] - max);
            p[off + j] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int j = 0; j < c; j++) p[off + j] *= inv;
        return max + Math.log(sum) - x[off + labels[r]];
    }

    @Override public Tensor backward() {
        if (onDevice) return cuda.grad();
        if (grad == null) throw new IllegalStateException(WHO + ": backward before forward");
        if (!gradReady) {
            // In place, so a second backward returns the same gradient.
            Parallel.forRange(rows, Math.max(1, GRAIN / classes), backwardRows);
            gradReady = true;
        }
        return grad;
    }

    /** Row r of p: softmax -> (softmax - onehot(y_r)) / N. */
    private void gradientRow(float[] p, int r, int c) {
        int off = r * c;
        float invN = 1f / rows;
        for (int j = 0; j < c; j++) p[off + j] *= invN;
        p[off + labels[r]] -= invN;
    }

    /** Rows of the last batch whose argmax equals the target. */
    public int correct() { return correct; }

    /** Rows in the last batch. */
    public int count() { return rows; }

    /** The argmax of each row of the last batch; live, overwritten by the next forward. */
    public int[] predictions() { return predictions; }

    /** Index of the largest logit of row {@code row} of {@code logits [N, C]} (first on ties). */
    public static int argmax(Tensor logits, int row) {
        int c = logits.shape().dim(-1);
        float[] x = logits.data();
        int off = row * c;
        int best = 0;
        for (int j = 1; j < c; j++) {
            if (x[off + j] > x[off + best]) best = j;
        }
        return best;
    }
}
