package org.neurite.layers.optim;

import java.util.Map;
import org.neurite.runtime.Tensor;

/**
 * Updates parameters from their accumulated gradients. Implementations hold their own state
 * (moments, step count) keyed by parameter name, so a checkpoint can save and restore it.
 */
public interface Optimizer {
    /** Applies one update to every parameter from its gradient. */
    void step();

    double learningRate();

    /** Schedules call this before a step. */
    void setLearningRate(double lr);

    /** Number of steps taken. */
    long steps();

    /** Internal state by name (e.g. {@code conv1.weight.momentum}), for checkpoints; live tensors. */
    Map<String, Tensor> state();

    /** Restores state saved by {@link #state()} and the step count. */
    void loadState(Map<String, Tensor> state, long steps);
}
