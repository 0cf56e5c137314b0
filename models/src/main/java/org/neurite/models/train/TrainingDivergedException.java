package org.neurite.models.train;

/** The loss became NaN or infinite; training stops (exit code 1) and keeps the last good checkpoint. */
public class TrainingDivergedException extends RuntimeException {
    private final long step;

    public TrainingDivergedException(long step, double loss) {
        super("training diverged: loss " + loss + " at step " + step);
        this.step = step;
    }

    public long step() { return step; }
}
