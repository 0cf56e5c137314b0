package org.neurite.layers.activation;

import org.neurite.runtime.Kernels;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Tensor;

/**
 * The CPU engine of {@link ActivationOp}: plain loops, one per kind so the JIT sees a simple body,
 * split over {@link Parallel} when a tensor is large enough to pay for the hand-off.
 *
 * <p>One instance per module: a call stores its operands in fields that loop bodies built once
 * read, so a training step allocates nothing here.
 */
final class ActivationCpu implements ActivationOp {
    /** Elements per chunk: below about this many, a second thread costs more than it saves. */
    private static final int GRAIN = 1 << 14;
    /** Elements from which the ReLU backward runs on {@link Kernels#reluBackward}. */
    private static final int VECTOR_MIN = 4096;

    // The current call's operands.
    private Activation.Kind kind;
    private float alpha;
    private int classes;
    private float[] x;
    private float[] y;
    private float[] g;
    private float[] dx;

    private final Parallel.RangeBody forwardBody = (from, to) -> forwardRange(kind, alpha, x, y, from, to);
    private final Parallel.RangeBody backwardBody = (from, to) -> backwardRange(kind, alpha, x, y, g, dx, from, to);
    private final Parallel.RangeBody softmaxForwardBody = (from, to) -> {
        for (int r = from; r < to; r++) softmaxRow(x, y, r * classes, classes);
    };
    private final Parallel.RangeBody softmaxBackwardBody = (from, to) -> {
        for (int r = from; r < to; r++) softmaxBackwardRow(y, g, dx, r * classes, classes);
    };

    @Override public void forward(Activation.Kind kind, float alpha, Tensor x, Tensor y) {
        set(kind, alpha, x, y, null, null);
        Parallel.forRange(this.x.length, GRAIN, forwardBody);
        clear();
    }

    @Override public void backward(Activation.Kind kind, float alpha, Tensor x, Tensor y, Tensor dY, Tensor dX) {
        set(kind, alpha, x, y, dY, dX);
        Parallel.forRange(this.x.length, GRAIN, backwardBody);
        clear();
    }

    @Override public void softmaxForward(Tensor x, Tensor y, int classes) {
        set(null, 0f, x, y, null, null);
        this.classes = classes;
        Parallel.forRange(this.x.length / classes, Math.max(1, GRAIN / classes), softmaxForwardBody);
        clear();
    }

    @Override public void softmaxBackward(Tensor y, Tensor dY, Tensor dX, int classes) {
        set(null, 0f, y, y, dY, dX);
        this.classes = classes;
        Parallel.forRange(this.y.length / classes, Math.max(1, GRAIN / classes), softmaxBackwardBody);
        clear();
    }

    private void set(Activation.Kind kind, float alpha, Tensor x, Tensor y, Tensor dY, Tensor dX) {
        this.kind = kind;
        this.alpha = alpha;
        this.x = x.data();
        this.y = y.data();
        this.g = dY == null ? null : dY.data();
        this.dx = dX == null ? null : dX.data();
    }

    /** Drops the references so a module's op does not keep old tensors alive. */
    private void clear() {
        x = y = g = dx = null;
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
                // Large ranges: the vector select (no mispredicted branch). Small ones stay scalar:
                // Vector API code allocates until C2 compiles it, and short runs gain nothing.
                if (to - from >= VECTOR_MIN) {
                    Kernels.reluBackward(to - from, x, from, g, from, dx, from);
                } else {
                    for (int i = from; i < to; i++) dx[i] = x[i] > 0f ? g[i] : 0f;
                }
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

    /** dx = y * (dy - dot(dy, y)) for one row. */
    private static void softmaxBackwardRow(float[] y, float[] g, float[] dx, int off, int c) {
        double dot = 0;
        for (int j = 0; j < c; j++) dot += (double) g[off + j] * y[off + j];
        float d = (float) dot;
        for (int j = 0; j < c; j++) dx[off + j] = y[off + j] * (g[off + j] - d);
    }
}
