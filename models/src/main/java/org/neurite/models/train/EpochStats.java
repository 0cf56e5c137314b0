package org.neurite.models.train;

/** What one pass over a data set measured: mean loss, accuracy, samples and seconds. */
public record EpochStats(int epoch, double loss, double accuracy, long samples, double seconds) {
    public double samplesPerSecond() { return seconds > 0 ? samples / seconds : 0; }
}
