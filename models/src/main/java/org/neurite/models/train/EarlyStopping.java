package org.neurite.models.train;

/**
 * Keras' EarlyStopping: watches a validation metric after each epoch and says stop once it has
 * not improved for {@code patience} epochs in a row. Its three numbers go into checkpoints, so a
 * resumed run stops where an uninterrupted one would.
 */
public final class EarlyStopping {
    private final boolean higherIsBetter;
    private final int patience;
    private double best;
    private int bestEpoch;
    private int epochsWithoutImprovement;

    /** {@code metric} is {@code val_loss} (lower is better) or {@code val_accuracy} (higher is better). */
    public EarlyStopping(String metric, int patience) {
        if (patience < 1) throw new IllegalArgumentException("patience must be >= 1, got " + patience);
        this.higherIsBetter = switch (metric) {
            case "val_loss" -> false;
            case "val_accuracy" -> true;
            default -> throw new IllegalArgumentException("early-stop metric must be val_loss or val_accuracy, got " + metric);
        };
        this.patience = patience;
        this.best = higherIsBetter ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    /** Records epoch {@code epoch}'s value; true when training should stop now. */
    public boolean update(int epoch, double value) {
        boolean improved = higherIsBetter ? value > best : value < best;
        if (improved) {
            best = value;
            bestEpoch = epoch;
            epochsWithoutImprovement = 0;
        } else {
            epochsWithoutImprovement++;
        }
        return epochsWithoutImprovement >= patience;
    }

    public double best() { return best; }

    public int bestEpoch() { return bestEpoch; }

    public int epochsWithoutImprovement() { return epochsWithoutImprovement; }

    /** Restores the numbers saved from {@link #best()}, {@link #bestEpoch()}, {@link #epochsWithoutImprovement()}. */
    public void restore(double best, int bestEpoch, int epochsWithoutImprovement) {
        this.best = best;
        this.bestEpoch = bestEpoch;
        this.epochsWithoutImprovement = epochsWithoutImprovement;
    }
}
