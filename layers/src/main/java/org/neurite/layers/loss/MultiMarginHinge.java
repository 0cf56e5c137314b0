package org.neurite.layers.loss;

import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * Multi-class hinge loss (PyTorch's MultiMarginLoss with p = 1, margin = 1): per row
 * sum_{j != y} max(0, 1 - x_y + x_j) / C, mean over the batch. Output {@code [N, C]} of scores,
 * target {@code [N]} of class indices stored as floats. An output on a CUDA device runs on
 * {@link LossesCuda} (one block per row; labels checked on the host as here).
 */
public final class MultiMarginHinge implements Loss {
    private static final String WHO = "MultiMarginHinge";

    private Tensor grad;  // [N, C]
    private int[] labels; // [N]
    private LossesCuda cuda;   // the engine of a CUDA output; null on the CPU
    private boolean onDevice;  // the last forward ran on a CUDA device

    @Override public double forward(Tensor output, Tensor target) {
        Shape s = output.shape();
        int c = ClassTargets.classes(WHO, s);
        int rows = s.size() / c;
        onDevice = !output.device().isCpu();
        if (onDevice) {
            if (labels == null || labels.length != rows) labels = new int[rows];
            cuda = LossesCuda.on(cuda, output.device());
            return cuda.hinge(WHO, output, target, rows, c, labels);
        }
        if (!Tensor.hasShape(grad, s) || labels.length != rows) {
            grad = Tensor.zeros(s);
            labels = new int[rows];
        }
        ClassTargets.read(WHO, target, rows, c, labels);
        float[] x = output.data();
        float[] g = grad.data();
        float unit = 1f / ((float) c * rows); // d(mean loss) / d(one active margin)
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            int off = r * c;
            int y = labels[r];
            float xy = x[off + y];
            int active = 0;
            double rowSum = 0;
            for (int j = 0; j < c; j++) {
                float m = 1f - xy + x[off + j];
                if (j != y && m > 0f) {
                    rowSum += m;
                    g[off + j] = unit;
                    active++;
                } else {
                    g[off + j] = 0f;
                }
            }
            g[off + y] = -active * unit;
            sum += rowSum / c;
        }
        return sum / rows;
    }

    @Override public Tensor backward() {
        if (onDevice) return cuda.grad();
        if (grad == null) throw new IllegalStateException(WHO + ": backward before forward");
        return grad;
    }
}
