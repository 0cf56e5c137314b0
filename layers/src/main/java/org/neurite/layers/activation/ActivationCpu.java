package org.neurite.layers.activation;

import org.neurite.runtime.Parallel;
import org.neurite.runtime.Tensor;

/**
 * The CPU engine of {@link ActivationOp}: plain loops, one per kind so the JIT sees a simple body,
 * split over {@link Parallel} when a tensor is large enough to pay for the hand-off.
 */
final class ActivationCpu implements ActivationOp {
    static final ActivationCpu INSTANCE = new ActivationCpu();

    /** Elements per chunk: below about this many, a second thread costs more than it saves. */
    private static final int GRAIN = 1 << 14;

    private ActivationCpu() { }

    @Override public void forward(Activation.Kind kind, float alpha, Tensor x, Tensor y) {
        float[] xd = x.data();
        float[] yd = y.data();
        Parallel.forRange(xd.length, GRAIN, (from, to) -> forwardRange(kind, alpha, xd, yd, from, to));
    }

    @Override public void backward(Activation.Kind kind, float alpha, Tensor x, Tensor y, Tensor dY, Tensor dX) {
        float[] xd = x.data();
        float[] yd = y.data();
        float[] g = dY.data();
        float[] dx = dX.data();
        Parallel.forRange(xd.length, GRAIN, (from, to) -> backwardRange(kind, alpha, xd, yd, g, dx, from, to));
    }

    private static void forwardRange(Activation.Kind kind, float alpha, float[] x, float[] y, int from, int to) {
        switch (kind) {
            case RELU -> {
                for (int i = from; i < to; i++) y[i] = Math.max(x[i], 0f);
            }
            case LEAKY_RELU -> {
                for (int i = from; i < to; i++) y[i] = x[i] > 0f ? x[i] : alpha * x[i];
            }
            case ELU -> {
                for (int i = from; i < to; i++) y[i] = x[i] > 0f ? x[i] : alpha * (float) Math.expm1(x[i]);
            }
            case SIGMOID -> {
                // exp(-x) overflows to +inf for very negative x, giving 1/inf = 0: still correct.
                for (int i = from; i < to; i++) y[i] = 1f / (1f + (float) Math.exp(-x[i]));
            }
            case TANH -> {
                for (int i = from; i < to; i++) y[i] = (float) Math.tanh(x[i]);
            }
        }
    }

    private static void backwardRange(Activation.Kind kind, float alpha, float[] x, float[] y, float[] g, float[] dx,
                                      int from, int to) {
        switch (kind) {
            case RELU -> {
                for (int i = from; i < to; i++) dx[i] = x[i] > 0f ? g[i] : 0f;
            }
            case LEAKY_RELU -> {
                for (int i = from; i < to; i++) dx[i] = x[i] > 0f ? g[i] : alpha * g[i];
            }
            case ELU -> {
                // For x <= 0: d/dx alpha*(e^x - 1) = alpha*e^x = y + alpha.
                for (int i = from; i < to; i++) dx[i] = x[i] > 0f ? g[i] : g[i] * (y[i] + alpha);
            }
            case SIGMOID -> {
                for (int i = from; i < to; i++) dx[i] = g[i] * y[i] * (1f - y[i]);
            }
            case TANH -> {
                for (int i = from; i < to; i++) dx[i] = g[i] * (1f - y[i] * y[i]);
            }
        }
    }

    @Override public void softmaxForward(Tensor x, Tensor y, int classes) {
        float[] xd = x.data();
        float[] yd = y.data();
        int rows = xd.length / classes;
        Parallel.forRange(rows, Math.max(1, GRAIN / classes), (from, to) -> {
            for (int r = from; r < to; r++) softmaxRow(xd, yd, r * classes, classes);
        });
    }

    /** Stable softmax of one row: subtract the row's max before exponentiating. */
    private static void softmaxRow(float[] x, float[] y, int off, int c) {
        float max = x[off];
        for (int j = 1; j < c; j++) max = Math.max(max, x[off + j]);
        double sum = 0;
        for (int j = 0; j < c; j++) {
            float e = (float) Math.exp(x[off + j] - max);
            y[off + j] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int j = 0; j < c; j++) y[off + j] *= inv;
    }

    @Override public void softmaxBackward(Tensor y, Tensor dY, Tensor dX, int classes) {
        float[] yd = y.data();
        float[] g = dY.data();
        float[] dx = dX.data();
        int rows = yd.length / classes;
        Parallel.forRange(rows, Math.max(1, GRAIN / classes), (from, to) -> {
            for (int r = from; r < to; r++) {
                int off = r * classes;
                double dot = 0;
                for (int j = 0; j < classes; j++) dot += (double) g[off + j] * yd[off + j];
                float d = (float) dot;
                for (int j = 0; j < classes; j++) dx[off + j] = yd[off + j] * (g[off + j] - d);
            }
        });
    }
}
