package org.neurite.layers.activation;

import org.neurite.runtime.Tensor;

/**
 * A module that can apply the activation following it itself, in the same pass over its output
 * (a convolution's bias + ReLU epilogue), saving the activation's two trips through memory.
 * {@link org.neurite.layers.Sequential} offers each {@link Activation} to the module before it;
 * the activation stays in the model (summaries and parameter names do not change) and passes the
 * fused module's output and gradient through unchanged.
 *
 * <p>After accepting, the module's {@code forward} returns the activated output and its
 * {@code backward} takes the gradient of the activated output, wherever it is called from.
 */
public interface FusesActivation {
    /** Asks this module to apply {@code activation} to its output from now on; true if it will. */
    boolean fuseActivation(Activation activation);

    /** True when {@code t} is this module's last output, with the fused activation applied. */
    boolean isFusedOutput(Tensor t);
}
