package org.neurite.layers.loss;

import org.neurite.runtime.Tensor;

/**
 * A training criterion: mean loss over the batch from the network output and the target, and the
 * gradient of that mean with respect to the output. For classification losses the target holds
 * class indices as floats, shape [N]; for regression losses it has the output's shape.
 */
public interface Loss {
    /** Mean loss over the batch; remembers what {@link #backward} needs. */
    double forward(Tensor output, Tensor target);

    /** Gradient of the mean loss with respect to the output of the last forward (written, reused). */
    Tensor backward();
}
