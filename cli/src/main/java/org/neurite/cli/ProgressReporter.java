package org.neurite.cli;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.neurite.models.report.MetricsRow;
import org.neurite.models.run.TrainingRun;

/**
 * Shows training progress: on a terminal, a progress bar per epoch (images done, ETA, images/s,
 * running loss and accuracy); otherwise (a pipe, a file, CI) or with --quiet, plain lines only:
 * one per epoch and one per --log-every steps. The bar is me.tongfei:progressbar, which handles
 * terminal width, ETA and redraw rates better than a hand-written one.
 */
final class ProgressReporter implements TrainingRun.Listener, AutoCloseable {
    private final PrintWriter out;
    private final boolean bars;
    private int epochs;
    private ProgressBar bar;

    ProgressReporter(PrintWriter out, boolean quiet) {
        this.out = out;
        this.bars = !quiet && isTerminal() && System.getenv("CI") == null;
    }

    /**
     * Whether stdin and stdout are a terminal. JDK 22+ returns a Console even for pipes and says
     * through Console.isTerminal() (called reflectively: the code is compiled for Java 21).
     */
    static boolean isTerminal() {
        java.io.Console c = System.console();
        if (c == null) return false;
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (NoSuchMethodException e) {
            return true; // JDK 21: a non-null console is a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    @Override public void message(String line) {
        closeBar();
        out.println(line);
        out.flush();
    }

    @Override public void onEpochStart(int epoch, int epochs, long samples, long samplesDone) {
        this.epochs = epochs;
        if (!bars) return;
        bar = new ProgressBarBuilder()
                .setTaskName(String.format("epoch %d/%d", epoch, epochs))
                .setInitialMax(samples)
                .startsFrom(samplesDone, java.time.Duration.ZERO)
                .setUnit(" img", 1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200)
                .showSpeed()
                .continuousUpdate()
                .setConsumer(new ConsoleProgressBarConsumer(System.out)) // the summary lines' stream, so they stay in order
                .build();
    }

    @Override public void onBatch(int epoch, int batch, int batches, double runningLoss, double runningAccuracy, long samples) {
        if (bar == null) return;
        bar.stepTo(samples);
        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f acc %.3f", runningLoss, runningAccuracy));
    }

    @Override public void onMetrics(MetricsRow r) {
        if (!r.isEpoch()) {
            if (bars) return; // the bar shows it; the row is in metrics.csv
            out.println(String.format(Locale.ROOT, "  step %d (epoch %d)  loss %.4f  accuracy %.4f  lr %.3g  %.0f img/s%s", r.step(), r.epoch(),
                    r.trainLoss(), r.trainAccuracy(), r.lr(), r.samplesPerSecond(), r.skipped() > 0 ? "  skipped " + r.skipped() : ""));
            out.flush();
            return;
        }
        closeBar();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d  loss %.4f  accuracy %.4f", r.epoch(), epochs,
                r.trainLoss(), r.trainAccuracy()));
        if (!Double.isNaN(r.valLoss())) line.append(String.format(Locale.ROOT, "  val_loss %.4f  val_accuracy %.4f", r.valLoss(), r.valAccuracy()));
        line.append(String.format(Locale.ROOT, "  test_loss %.4f  test_accuracy %.4f", r.testLoss(), r.testAccuracy()));
        line.append(String.format(Locale.ROOT, "  %.1f s  %.0f img/s", r.seconds(), r.samplesPerSecond()));
        if (r.skipped() > 0) line.append("  skipped ").append(r.skipped());
        out.println(line);
        out.flush();
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    @Override public void close() {
        closeBar();
    }
}
