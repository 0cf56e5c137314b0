package org.neurite.cli;

import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.neurite.models.train.EpochStats;
import org.neurite.models.train.Trainer;

/**
 * Shows training progress: a progress bar per epoch (throughput, running loss and accuracy) when
 * stdout is a terminal, and only the summary lines otherwise or with --quiet. The bar is
 * me.tongfei:progressbar, which handles terminal width, ETA and redraw rates better than a
 * hand-written one.
 */
final class ProgressReporter implements Trainer.Listener, AutoCloseable {
    private final PrintWriter out;
    private final boolean bars;
    private final int epochs;
    private ProgressBar bar;

    ProgressReporter(PrintWriter out, boolean quiet, int epochs) {
        this.out = out;
        this.bars = !quiet && System.console() != null && System.getenv("CI") == null;
        this.epochs = epochs;
    }

    void startEpoch(int epoch, long samples) {
        if (!bars) return;
        bar = new ProgressBarBuilder()
                .setTaskName(String.format("epoch %d/%d", epoch, epochs))
                .setInitialMax(samples)
                .setUnit(" img", 1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200)
                .showSpeed()
                .continuousUpdate()
                .build();
    }

    @Override public void onBatch(int epoch, int batch, int batches, double runningLoss, double runningAccuracy, long samples) {
        if (bar == null) return;
        bar.stepTo(samples);
        bar.setExtraMessage(String.format("loss %.4f acc %.3f", runningLoss, runningAccuracy));
    }

    void endEpoch(EpochStats train, EpochStats test) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        StringBuilder line = new StringBuilder(String.format("epoch %d/%d  loss %.4f  accuracy %.4f", train.epoch(), epochs,
                train.loss(), train.accuracy()));
        if (test != null) line.append(String.format("  test_loss %.4f  test_accuracy %.4f", test.loss(), test.accuracy()));
        line.append(String.format("  %.1f s  %.0f img/s", train.seconds(), train.samplesPerSecond()));
        out.println(line);
        out.flush();
    }

    @Override public void close() {
        if (bar != null) bar.close();
    }
}
