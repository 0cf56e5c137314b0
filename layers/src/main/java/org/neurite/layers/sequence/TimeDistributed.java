package org.neurite.layers.sequence;

import java.util.List;
import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.layers.Param;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * Applies a module to every time step at once: {@code [T, N, ...]} is viewed as {@code [T*N, ...]}
 * (no copy), run through the inner module, and the result viewed as {@code [T, N, ...]} again.
 * Wrapping a {@code Dense} gives the per-step output layer of a language model as one GEMM over all
 * T*N rows. Parameters are the inner module's, under the same names. On a CUDA device the views
 * share device storage the same way (each holds a reference, closed when the view is replaced),
 * and the inner module runs its own CUDA engine.
 * <pre>{@code
 * Module head = new TimeDistributed(new Dense(Dense.Config.of(256, 97), rng));  // [T, N, 256] -> [T, N, 97]
 * }</pre>
 */
public final class TimeDistributed extends Module {
    private final Module inner;
    // Views cached by storage and shape, so a step with the same shapes allocates nothing.
    private final View in = new View();
    private final View out = new View();
    private final View gradOut = new View();
    private final View gradIn = new View();
    private int steps;
    private int batch;

    public TimeDistributed(Module inner) {
        this.inner = inner;
    }

    public Module inner() { return inner; }

    @Override public Shape outputShape(Shape s) {
        Shape o = inner.outputShape(merged(s));
        return split(o, s.dim(0), s.dim(1));
    }

    @Override public Tensor forward(Tensor x, Mode mode) {
        Shape s = x.shape();
        if (s.rank() < 3) throw new IllegalArgumentException("TimeDistributed expects [T, N, ...], got " + s);
        steps = s.dim(0);
        batch = s.dim(1);
        Tensor y = inner.forward(in.of(x, steps, batch, true), mode);
        return out.of(y, steps, batch, false);
    }

    @Override public Tensor backward(Tensor dY) {
        Tensor dx = inner.backward(gradOut.of(dY, steps, batch, true));
        return dx == null ? null : gradIn.of(dx, steps, batch, false);
    }

    @Override public void setNeedsInputGrad(boolean needed) {
        super.setNeedsInputGrad(needed);
        inner.setNeedsInputGrad(needed);
    }

    @Override public List<Param> params() { return inner.params(); }

    @Override public List<Module> children() { return List.of(inner); }

    @Override public void zeroGrad() { inner.zeroGrad(); }

    @Override public String describe() { return "TimeDistributed(" + inner.describe() + ")"; }

    private static Shape merged(Shape s) {
        int[] d = s.dims();
        int[] m = new int[d.length - 1];
        m[0] = d[0] * d[1];
        System.arraycopy(d, 2, m, 1, d.length - 2);
        return Shape.of(m);
    }

    private static Shape split(Shape s, int t, int n) {
        int[] d = s.dims();
        int[] m = new int[d.length + 1];
        m[0] = t;
        m[1] = n;
        System.arraycopy(d, 1, m, 2, d.length - 1);
        return Shape.of(m);
    }

    /**
     * A reshaped view of a tensor, rebuilt only when its storage (the float[] on the CPU, the
     * device storage on a GPU) or shape changes; the replaced view is closed, which gives back its
     * reference to a device storage (a no-op on the CPU).
     */
    private static final class View {
        private Object storage;
        private Shape source;
        private Tensor view;

        Tensor of(Tensor t, int steps, int batch, boolean merge) {
            Object s = t.device().isCpu() ? t.data() : t.deviceStorage();
            if (s != storage || !t.shape().equals(source)) {
                Tensor old = view;
                storage = s;
                source = t.shape();
                view = t.reshape(merge ? merged(t.shape()) : split(t.shape(), steps, batch));
                if (old != null) old.close();
            }
            return view;
        }
    }
}
