package org.neurite.layers;

import java.util.List;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * A layer or a container of layers (Torch7 nn style).
 *
 * <p>The accumulation rule, for every module: {@link #backward} <em>writes</em> the gradient of the
 * input (and returns it) and <em>adds</em> ({@code +=}) into the gradients of its parameters.
 * {@link #zeroGrad} is explicit: the trainer calls it before each step.
 *
 * <p>Buffers are planned when a module first sees an input shape and reused while the shape stays
 * the same, so the tensors returned by {@code forward} and {@code backward} belong to the module and
 * are overwritten by its next call. {@code backward} uses the input of the last {@code forward}.
 */
public abstract class Module {
    /** When false, {@link #backward} may skip computing the input gradient and return null. */
    protected boolean needsInputGrad = true;

    /** A short type name for summaries, e.g. "Conv2d". */
    public String typeName() { return getClass().getSimpleName(); }

    /** Output shape for an input shape, without running anything (model summaries use it). */
    public abstract Shape outputShape(Shape inputShape);

    public abstract Tensor forward(Tensor input, Mode mode);

    /** Gradient of the input for {@code gradOutput}; parameter gradients accumulate. */
    public abstract Tensor backward(Tensor gradOutput);

    /** Learnable parameters with their gradients; empty for parameter-free layers. */
    public List<Param> params() { return List.of(); }

    /** Direct sub-modules, for summaries and traversals. */
    public List<Module> children() { return List.of(); }

    /** First layers of a network do not need their input gradient; this lets them skip it. */
    public void setNeedsInputGrad(boolean needed) { this.needsInputGrad = needed; }

    public void zeroGrad() {
        List<Param> ps = params();
        for (int i = 0; i < ps.size(); i++) ps.get(i).grad().fill(0f);
    }

    /** Number of learnable scalars. */
    public long parameterCount() {
        long n = 0;
        for (Param p : params()) n += p.value().size();
        return n;
    }

    /** Human-readable one-line description (configuration), for summaries. */
    public String describe() { return typeName(); }
}
