package org.neurite.cli;

import org.neurite.layers.optim.LrSchedule;

/** Parses --schedule: {@code none}, {@code cosine}, or {@code step:EPOCHS:GAMMA}. */
final class Schedules {
    private Schedules() { }

    /** The schedule, or null for none; a bad value is a usage error naming the flag. */
    static LrSchedule parse(String spec, double lr, int epochs, int batchesPerEpoch) {
        String[] parts = spec.split(":");
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
        throw new UsageException("--schedule: cannot read '" + spec + "' (expected none, cosine or step:EPOCHS:GAMMA, e.g. step:2:0.5)");
    }
}
