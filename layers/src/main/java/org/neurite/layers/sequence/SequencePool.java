package org.neurite.layers.sequence;

import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * Reduces a sequence {@code [T, N, C]} over time to {@code [N, C]}: the last step, the maximum or
 * the mean, the usual way to feed an RNN's outputs to a many-to-one classifier. For a
 * bidirectional RNN the last step holds the forward direction's final state but only the first
 * step of the reverse one; MAX and MEAN see both directions over the whole sequence.
 * A CUDA input runs {@link SequencePoolCuda}.
 */
public final class SequencePool extends Module {
    /** The reduction over time. */
    public enum Kind { LAST, MAX, MEAN }

    private final Kind kind;
    private Tensor output;     // [N, C]
    private Tensor gradInput;  // [T, N, C]
    private int[] argmax;      // MAX: the step of each maximum, [N*C]
    private Shape inputShape;
    private SequencePoolCuda cuda;  // the engine of a CUDA input

    public SequencePool(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() { return kind; }

    @Override public Shape outputShape(Shape s) {
        if (s.rank() != 3) throw new IllegalArgumentException(describe() + " expects [T, N, C], got " + s);
        return Shape.of(s.dim(1), s.dim(2));
    }

    @Override public Tensor forward(Tensor x, Mode mode) {
        Shape s = x.shape();
        if (!x.device().isCpu()) {
            if (cuda == null || cuda.device() != x.device()) cuda = SequencePoolCuda.on(kind, x.device());
            if (!Tensor.fits(output, outputShape(s), x.device())) output = Tensor.zeros(outputShape(s), x.device());
            inputShape = s;
            cuda.forward(x, output);
            return output;
        }
        if (inputShape == null || !inputShape.equals(s) || !output.device().isCpu()) {
            output = Tensor.zeros(outputShape(s));
            argmax = kind == Kind.MAX ? new int[output.size()] : null;
            inputShape = s;
        }
        int t = s.dim(0);
        int nc = s.dim(1) * s.dim(2);
        float[] xd = x.data();
        float[] y = output.data();
        switch (kind) {
            case LAST -> System.arraycopy(xd, (t - 1) * nc, y, 0, nc);
            case MAX -> {
                System.arraycopy(xd, 0, y, 0, nc);
                java.util.Arrays.fill(argmax, 0);
                for (int ts = 1; ts < t; ts++) {
                    int off = ts * nc;
                    for (int k = 0; k < nc; k++) {
                        if (xd[off + k] > y[k]) {
                            y[k] = xd[off + k];
                            argmax[k] = ts;
                        }
                    }
                }
            }
            case MEAN -> {
                java.util.Arrays.fill(y, 0f);
                for (int ts = 0; ts < t; ts++) {
                    int off = ts * nc;
                    for (int k = 0; k < nc; k++) y[k] += xd[off + k];
                }
                float inv = 1f / t;
                for (int k = 0; k < nc; k++) y[k] *= inv;
            }
        }
        return output;
    }

    @Override public Tensor backward(Tensor dY) {
        if (inputShape == null) throw new IllegalStateException(describe() + ": backward before forward");
        if (!dY.shape().equals(output.shape())) {
            throw new IllegalArgumentException(describe() + ": gradient " + dY.shape() + " does not match output " + output.shape());
        }
        if (!needsInputGrad) return null;
        if (!Tensor.fits(gradInput, inputShape, dY.device())) gradInput = Tensor.zeros(inputShape, dY.device());
        if (!dY.device().isCpu()) {
            cuda.backward(dY, inputShape, gradInput);
            return gradInput;
        }
        int t = inputShape.dim(0);
        int nc = dY.size();
        float[] g = dY.data();
        float[] dx = gradInput.data();
        switch (kind) {
            case LAST -> {
                java.util.Arrays.fill(dx, 0, (t - 1) * nc, 0f);
                System.arraycopy(g, 0, dx, (t - 1) * nc, nc);
            }
            case MAX -> {
                java.util.Arrays.fill(dx, 0f);
                for (int k = 0; k < nc; k++) dx[argmax[k] * nc + k] = g[k];
            }
            case MEAN -> {
                float inv = 1f / t;
                for (int ts = 0; ts < t; ts++) {
                    for (int k = 0; k < nc; k++) dx[ts * nc + k] = g[k] * inv;
                }
            }
        }
        return gradInput;
    }

    @Override public String describe() { return "SequencePool(" + kind.name().toLowerCase(java.util.Locale.ROOT) + ")"; }
}
