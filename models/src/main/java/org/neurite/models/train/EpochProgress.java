package org.neurite.models.train;

/**
 * How far an epoch has come: batches done, and the sums behind its running loss and accuracy.
 * A checkpoint taken mid-epoch saves it, so a resumed epoch reports the same figures as one that
 * never stopped.
 */
public final class EpochProgress {
    private final int epoch;
    private int batches;
    private double lossSum;
    private long correct;
    private long samples;
    private long skipped;
    private double seconds;

    /** Epoch {@code epoch} from its start. */
    public EpochProgress(int epoch) {
        this.epoch = epoch;
    }

    /** Epoch {@code epoch} after {@code batches} batches with these sums (a resumed checkpoint's). */
    public static EpochProgress restore(int epoch, int batches, double lossSum, long correct, long samples, long skipped, double seconds) {
        if (batches < 0 || samples < 0 || correct < 0 || skipped < 0) throw new IllegalArgumentException("negative epoch progress");
        EpochProgress p = new EpochProgress(epoch);
        p.batches = batches;
        p.lossSum = lossSum;
        p.correct = correct;
        p.samples = samples;
        p.skipped = skipped;
        p.seconds = seconds;
        return p;
    }

    void add(double meanLoss, int n, int correctInBatch) {
        lossSum += meanLoss * n;
        correct += correctInBatch;
        samples += n;
        batches++;
    }

    void skip() {
        skipped++;
        batches++;
    }

    void addSeconds(double s) { seconds += s; }

    public int epoch() { return epoch; }

    /** Batches done in this epoch, skipped ones included: the batch to start at when resuming. */
    public int batches() { return batches; }

    public double lossSum() { return lossSum; }

    public long correct() { return correct; }

    /** Samples whose step was taken (skipped steps excluded). */
    public long samples() { return samples; }

    /** Steps skipped because their loss or gradients were not finite. */
    public long skipped() { return skipped; }

    /** Training seconds spent in this epoch so far. */
    public double seconds() { return seconds; }

    public double meanLoss() { return samples == 0 ? Double.NaN : lossSum / samples; }

    public double accuracy() { return samples == 0 ? Double.NaN : (double) correct / samples; }

    /** The figures so far as {@link EpochStats}. */
    public EpochStats stats() { return new EpochStats(epoch, meanLoss(), accuracy(), samples, seconds); }
}
