package org.neurite.models.report;

/**
 * One line of {@code metrics.csv}. {@code kind} is {@code epoch} for a finished epoch or
 * {@code step} for a {@code --log-every} line (running means of the epoch so far, no evaluation).
 * Figures not measured are NaN and written as empty fields.
 *
 * @param seconds          training seconds of the epoch (so far, for a step line)
 * @param samplesPerSecond training throughput over those seconds
 * @param skipped          steps skipped in this epoch for non-finite values
 */
public record MetricsRow(String kind, int epoch, long step, double lr,
                         double trainLoss, double trainAccuracy,
                         double valLoss, double valAccuracy,
                         double testLoss, double testAccuracy,
                         double seconds, double samplesPerSecond, long skipped) {
    public static final String EPOCH = "epoch";
    public static final String STEP = "step";

    public boolean isEpoch() { return EPOCH.equals(kind); }
}
