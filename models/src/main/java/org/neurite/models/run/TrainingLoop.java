package org.neurite.models.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.neurite.models.checkpoint.TrainingState;
import org.neurite.models.data.DataLoader;
import org.neurite.models.data.InputDataException;
import org.neurite.models.report.MetricsRow;
import org.neurite.models.train.EarlyStopping;
import org.neurite.models.train.EpochProgress;
import org.neurite.models.train.EpochStats;
import org.neurite.models.train.Schedules;
import org.neurite.models.train.Trainer;

/** The epoch loop of one {@link TrainingRun}: steps, logs, checkpoints, evaluation, stopping. */
final class TrainingLoop implements Trainer.Listener {
    private final TrainingRun run;
    private final RunConfig config;
    private final Trainer trainer;
    private final DataLoader trainLoader, valLoader, testLoader;
    private final EarlyStopping early;
    private final int batches;
    private long skippedTotal;
    private long lastSavedStep = -1;

    TrainingLoop(TrainingRun run, DataLoader trainLoader, DataLoader valLoader, DataLoader testLoader) {
        this.run = run;
        this.config = run.config();
        this.trainer = run.trainer();
        this.trainLoader = trainLoader;
        this.valLoader = valLoader;
        this.testLoader = testLoader;
        this.batches = trainLoader.batchesPerEpoch();
        this.early = config.earlyStopPatience() > 0 ? new EarlyStopping(config.earlyStopMetric(), config.earlyStopPatience()) : null;
    }

    TrainingRun.EpochFigures run() throws IOException, InputDataException {
        double lr0 = config.lr();
        trainer.setSchedule(Schedules.parse(config.schedule(), lr0, config.epochs(), batches));
        EpochProgress progress = restore(run.state());
        TrainingRun.EpochFigures last = null;
        if (progress.epoch() > config.epochs() || reachedMaxSteps()) {
            run.ui().message("the run is complete (epoch " + (progress.epoch() - 1) + " of " + config.epochs() + ", step " + trainer.step()
                    + "); raise --epochs or --max-steps to train further");
            return null;
        }
        while (progress.epoch() <= config.epochs()) {
            int epoch = progress.epoch();
            run.ui().onEpochStart(epoch, config.epochs(), trainLoader.samplesPerEpoch(), progress.samples() + (long) progress.skipped() * config.batch());
            EpochStats train = trainer.trainEpoch(trainLoader, progress, this);
            if (progress.batches() < batches) { // stopped by --max-steps inside the epoch
                if (lastSavedStep != trainer.step()) save(epoch, progress);
                run.ui().message("stopped at step " + trainer.step() + " (--max-steps " + config.maxSteps() + "), epoch " + epoch
                        + " batch " + progress.batches() + "; checkpoint " + run.lastCheckpoint());
                return last;
            }
            EpochStats val = valLoader == null ? null : Trainer.evaluate(run.model(), run.loss(), valLoader, run.device());
            EpochStats test = Trainer.evaluate(run.model(), run.loss(), testLoader, run.device());
            skippedTotal += progress.skipped();
            MetricsRow row = new MetricsRow(MetricsRow.EPOCH, epoch, trainer.step(), run.optimizer().learningRate(), train.loss(), train.accuracy(),
                    val == null ? Double.NaN : val.loss(), val == null ? Double.NaN : val.accuracy(), test.loss(), test.accuracy(),
                    train.seconds(), train.samplesPerSecond(), progress.skipped());
            run.metrics().append(row);
            run.ui().onMetrics(row);
            boolean stop = false;
            if (early != null) {
                stop = early.update(epoch, config.earlyStopMetric().equals("val_loss") ? val.loss() : val.accuracy());
            }
            progress = new EpochProgress(epoch + 1);
            save(epoch, progress);
            run.writeCharts();
            last = new TrainingRun.EpochFigures(train, val, test);
            if (stop) {
                run.ui().message(String.format(java.util.Locale.ROOT, "early stop: %s has not improved for %d epochs (best %.4f at epoch %d)",
                        config.earlyStopMetric(), early.epochsWithoutImprovement(), early.best(), early.bestEpoch()));
                break;
            }
            if (reachedMaxSteps()) {
                run.ui().message("stopped at step " + trainer.step() + " (--max-steps " + config.maxSteps() + ")");
                break;
            }
        }
        if (skippedTotal > 0) run.ui().message("skipped " + skippedTotal + " steps with non-finite loss or gradients (--skip-nonfinite)");
        return last;
    }

    private boolean reachedMaxSteps() {
        return config.maxSteps() > 0 && trainer.step() >= config.maxSteps();
    }

    /** Where to start: the checkpoint's epoch and batch with its running sums, or epoch 1. */
    private EpochProgress restore(TrainingState s) {
        if (s == null) return new EpochProgress(1);
        trainer.setStep(s.globalStep());
        skippedTotal = (long) s.progress("skipped_total", 0);
        if (early != null && s.progress("early_stop_best_epoch", 0) > 0) {
            early.restore(s.progress("early_stop_best", 0), (int) s.progress("early_stop_best_epoch", 0),
                    (int) s.progress("early_stop_bad_epochs", 0));
        }
        if (s.batchInEpoch() == 0) return new EpochProgress(s.epoch() + 1);
        return EpochProgress.restore(s.epoch(), s.batchInEpoch(), s.progress("epoch_loss_sum", 0), (long) s.progress("epoch_correct", 0),
                (long) s.progress("epoch_samples", 0), (long) s.progress("epoch_skipped", 0), s.progress("epoch_seconds", 0));
    }

    /**
     * Checkpoint at {@code progress}: a fresh epoch's progress means "{@code epoch} is done"
     * (batch 0), a partial one means "{@code epoch} is under way".
     */
    private void save(int epoch, EpochProgress progress) {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("skipped_total", (double) skippedTotal); // completed epochs; a partial one adds epoch_skipped
        if (early != null && early.bestEpoch() > 0) {
            p.put("early_stop_best", early.best());
            p.put("early_stop_best_epoch", (double) early.bestEpoch());
            p.put("early_stop_bad_epochs", (double) early.epochsWithoutImprovement());
        }
        int batchInEpoch = 0;
        if (progress.epoch() == epoch) {
            batchInEpoch = progress.batches();
            p.put("epoch_loss_sum", progress.lossSum());
            p.put("epoch_correct", (double) progress.correct());
            p.put("epoch_samples", (double) progress.samples());
            p.put("epoch_skipped", (double) progress.skipped());
            p.put("epoch_seconds", progress.seconds());
        }
        run.save(epoch, batchInEpoch, p);
        lastSavedStep = trainer.step();
    }

    @Override public void onBatch(int epoch, int batch, int total, double runningLoss, double runningAccuracy, long samples) {
        run.ui().onBatch(epoch, batch, total, runningLoss, runningAccuracy, samples);
    }

    @Override public void onStep(Trainer t, EpochProgress progress) {
        long step = t.step();
        try {
            if (config.logEvery() > 0 && step % config.logEvery() == 0) {
                MetricsRow row = new MetricsRow(MetricsRow.STEP, progress.epoch(), step, run.optimizer().learningRate(), progress.meanLoss(),
                        progress.accuracy(), Double.NaN, Double.NaN, Double.NaN, Double.NaN, progress.seconds(),
                        progress.stats().samplesPerSecond(), progress.skipped());
                run.metrics().append(row);
                run.ui().onMetrics(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Mid-epoch only: the epoch-end checkpoint follows the evaluation.
        if (config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0 && progress.batches() < batches) save(progress.epoch(), progress);
        if (reachedMaxSteps()) t.requestStop();
    }
}
