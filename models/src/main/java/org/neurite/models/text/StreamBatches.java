package org.neurite.models.text;

import org.neurite.runtime.Tensor;

/**
 * Batches for truncated back-propagation through time: the text is cut into N equal streams read
 * side by side, and batch k holds positions {@code [kT, (k+1)T)} of every stream, so sequence n of
 * one batch continues where sequence n of the previous batch stopped (an RNN in carry-state mode
 * keeps its hidden state across them). Inputs and targets {@code [T, N]}, targets shifted by one.
 * Stream n covers tokens {@code [n L, (n+1) L]} with {@code L = (length - 1) / N}; the tail that
 * does not fill a whole window is not used.
 */
public final class StreamBatches {
    private final int[] ids;
    private final int batch;
    private final int steps;
    private final int streamLength;
    private final Tensor inputs;
    private final Tensor targets;
    private int next;

    public StreamBatches(int[] ids, int batch, int steps) {
        if (batch < 1 || steps < 1) throw new IllegalArgumentException("batch and steps must be >= 1, got " + batch + ", " + steps);
        this.ids = ids;
        this.batch = batch;
        this.steps = steps;
        this.streamLength = (ids.length - 1) / batch;
        if (streamLength < steps) {
            throw new IllegalArgumentException("text of " + ids.length + " tokens is too short for " + batch + " streams of " + steps + " steps");
        }
        this.inputs = Tensor.zeros(steps, batch);
        this.targets = Tensor.zeros(steps, batch);
    }

    /** Windows per pass over the text. */
    public int batchesPerEpoch() { return streamLength / steps; }

    /** Starts the next pass from the beginning of every stream. */
    public void reset() { next = 0; }

    /** Index of the next window in this pass. */
    public int position() { return next; }

    /** Fills the next window; false (and nothing filled) at the end of the pass. */
    public boolean next() {
        if (next >= batchesPerEpoch()) return false;
        float[] x = inputs.data();
        float[] y = targets.data();
        for (int n = 0; n < batch; n++) {
            int base = n * streamLength + next * steps;
            for (int t = 0; t < steps; t++) {
                x[t * batch + n] = ids[base + t];
                y[t * batch + n] = ids[base + t + 1];
            }
        }
        next++;
        return true;
    }

    public Tensor inputs() { return inputs; }

    public Tensor targets() { return targets; }
}
