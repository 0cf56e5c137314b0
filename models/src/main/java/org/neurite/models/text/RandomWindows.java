package org.neurite.models.text;

import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;

/**
 * Language-model batches of random windows (workloads W2/W3): each of N sequences starts at a
 * position drawn uniformly from {@code [0, length - (T+1))}; the input is T tokens from there, the
 * target the same T tokens shifted by one. Time-major: inputs and targets {@code [T, N]}, ids
 * stored as floats. The same seed gives the same windows.
 * <pre>{@code
 * RandomWindows w = new RandomWindows(corpus.ids(), 32, 64, new Rng(seed));
 * w.next();   // w.inputs(), w.targets(): [64, 32]
 * }</pre>
 */
public final class RandomWindows {
    private final int[] ids;
    private final int batch;
    private final int steps;
    private final Rng rng;
    private final Tensor inputs;
    private final Tensor targets;
    private final int[] starts;

    public RandomWindows(int[] ids, int batch, int steps, Rng rng) {
        if (batch < 1 || steps < 1) throw new IllegalArgumentException("batch and steps must be >= 1, got " + batch + ", " + steps);
        if (ids.length < steps + 2) {
            throw new IllegalArgumentException("text of " + ids.length + " tokens is too short for windows of " + (steps + 1));
        }
        this.ids = ids;
        this.batch = batch;
        this.steps = steps;
        this.rng = rng;
        this.inputs = Tensor.zeros(steps, batch);
        this.targets = Tensor.zeros(steps, batch);
        this.starts = new int[batch];
    }

    /** Draws the next batch into {@link #inputs()} and {@link #targets()} (the same tensors each time). */
    public void next() {
        for (int n = 0; n < batch; n++) starts[n] = rng.nextInt(ids.length - (steps + 1));
        float[] x = inputs.data();
        float[] y = targets.data();
        for (int t = 0; t < steps; t++) {
            for (int n = 0; n < batch; n++) {
                x[t * batch + n] = ids[starts[n] + t];
                y[t * batch + n] = ids[starts[n] + t + 1];
            }
        }
    }

    /** The start positions of the last batch. */
    public int[] starts() { return starts.clone(); }

    public Tensor inputs() { return inputs; }

    public Tensor targets() { return targets; }
}
