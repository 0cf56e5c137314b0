package org.neurite.models.train;

/**
 * The loss or a gradient became NaN or infinite; training stops (exit code 1) and keeps the last
 * good checkpoint. The message names the step, and the parameter whose gradient first went
 * non-finite when the gradients are to blame.
 */
public class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long step;

    public TrainingDivergedException(long step, double loss) {
        this("training diverged: loss " + loss + " at step " + step, step);
    }

    /** {@code message} says what went non-finite; {@code step} is 1-based over the whole run. */
    public TrainingDivergedException(String message, long step) {
        super(message);
        this.step = step;
    }

    /** The 1-based global step at which the loss or a gradient went non-finite. */
    public long step() { return step; }
}
