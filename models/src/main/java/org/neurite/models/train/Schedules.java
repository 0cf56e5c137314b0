package org.neurite.models.train;

import org.neurite.layers.optim.LrSchedule;

/** Reads a learning-rate schedule spec: {@code none}, {@code cosine}, or {@code step:EPOCHS:GAMMA}. */
public final class Schedules {
    private Schedules() { }

    /** Whether {@code spec} is one of the accepted forms. */
    public static boolean isValid(String spec) {
        try {
            parse(spec, 0.1, 1, 1);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The schedule for a run of {@code epochs} epochs of {@code batchesPerEpoch} steps starting at
     * {@code lr}, or null for {@code none}. Periods are in steps, so the schedule is a function of
     * the global step alone and a resumed run picks it up where it stopped.
     */
    public static LrSchedule parse(String spec, double lr, int epochs, int batchesPerEpoch) {
        String[] parts = spec.split(":", -1);
        try {
            switch (parts[0]) {
                case "none":
                    if (parts.length == 1) return null;
                    break;
                case "cosine":
                    if (parts.length == 1) return LrSchedule.cosine(lr, (long) epochs * batchesPerEpoch, 0);
                    break;
                case "step":
                    if (parts.length == 3) {
                        int every = Integer.parseInt(parts[1]);
                        double gamma = Double.parseDouble(parts[2]);
                        if (every > 0 && gamma > 0) return LrSchedule.step(lr, (long) every * batchesPerEpoch, gamma);
                    }
                    break;
                default:
                    break;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("schedule: cannot read '" + spec + "' (expected none, cosine or step:EPOCHS:GAMMA, e.g. step:2:0.5)");
    }
}
