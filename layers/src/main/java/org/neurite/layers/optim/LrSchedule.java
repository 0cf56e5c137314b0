package org.neurite.layers.optim;

/**
 * A learning rate as a function of the optimizer step (0-based), applied by the trainer before
 * each step. Schedules that PyTorch steps per epoch take their periods in steps here
 * (epochs x batches per epoch), so they work the same with any batch size.
 */
@FunctionalInterface
public interface LrSchedule {
    /** The learning rate for step {@code step}. */
    double lr(long step);

    /** A fixed rate. */
    static LrSchedule constant(double lr) {
        return step -> lr;
    }

    /** PyTorch's StepLR: lr * gamma^(step / period). */
    static LrSchedule step(double lr, long period, double gamma) {
        requirePositive(period, "period");
        return step -> lr * Math.pow(gamma, step / period);
    }

    /** PyTorch's ExponentialLR with the decay spread over steps: lr * gamma^(step / period). */
    static LrSchedule exponential(double lr, long period, double gamma) {
        requirePositive(period, "period");
        return step -> lr * Math.pow(gamma, (double) step / period);
    }

    /**
     * PyTorch's CosineAnnealingLR (one half cosine, no restarts): from lr at step 0 to minLr at
     * step total, then minLr.
     */
    static LrSchedule cosine(double lr, long total, double minLr) {
        requirePositive(total, "total");
        return step -> step >= total ? minLr : minLr + (lr - minLr) * 0.5 * (1 + Math.cos(Math.PI * step / total));
    }

    /** Linear warm-up: step s < warmup runs at (s+1)/warmup of the wrapped rate (Goyal et al. 2017). */
    static LrSchedule warmup(LrSchedule after, long warmup) {
        requirePositive(warmup, "warmup");
        return step -> step < warmup ? after.lr(step) * (step + 1) / warmup : after.lr(step);
    }

    private static void requirePositive(long v, String what) {
        if (v <= 0) throw new IllegalArgumentException("schedule " + what + " must be positive, got " + v);
    }
}
