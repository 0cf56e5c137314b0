package org.neurite.models.train;

import java.util.List;
import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.layers.Param;
import org.neurite.layers.loss.Loss;
import org.neurite.layers.loss.SoftmaxCrossEntropy;
import org.neurite.layers.optim.LrSchedule;
import org.neurite.layers.optim.Optimizer;
import org.neurite.models.data.DataLoader;
import org.neurite.runtime.Device;
import org.neurite.runtime.Kernels;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.cuda.CudaChecks;

/**
 * Runs epochs of mini-batches: forward, loss, zero-grad, backward, optimizer step; and evaluation.
 * Listeners see every batch (progress bars) and every epoch (checkpoints, logs).
 */
public final class Trainer {
    /** Callbacks; all optional. */
    public interface Listener {
        /** After each training batch: running mean loss and accuracy of this epoch so far. */
        default void onBatch(int epoch, int batch, int batches, double runningLoss, double runningAccuracy, long samples) { }

        /**
         * After each step, taken or skipped, with {@link #step()} already advanced: checkpoints and
         * logs hook in here. {@link #requestStop()} ends the epoch after this step.
         */
        default void onStep(Trainer trainer, EpochProgress progress) { }
    }

    private final Module model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final PhaseTimer timer = new PhaseTimer();
    private LrSchedule schedule;
    private long step;
    private boolean skipNonFinite;
    private long skippedSteps;
    private boolean stopRequested;
    private DeviceBatches deviceBatches;  // null: batches stay where the loader puts them (the CPU)

    public Trainer(Module model, Loss loss, Optimizer optimizer) {
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
        model.setNeedsInputGrad(false); // training never needs the gradient of the data
    }

    /**
     * Trains on {@code device}: each batch's inputs are uploaded into reused device tensors (targets
     * stay on the host). The model must already live there ({@code Modules.moveTo}), and its
     * optimizer must have been built after the move. The CPU (the default) changes nothing.
     */
    public void setDevice(Device device) {
        if (deviceBatches != null) deviceBatches.close();
        deviceBatches = device.isCpu() ? null : new DeviceBatches(device);
    }

    /** Sets the learning rate before every step from now on; null keeps the optimizer's rate. */
    public void setSchedule(LrSchedule schedule) { this.schedule = schedule; }

    /** Steps taken so far over all epochs, skipped ones included (the schedule's position). */
    public long step() { return step; }

    /** Sets the step counter (a resumed run continues its numbering and its schedule). */
    public void setStep(long step) { this.step = step; }

    /**
     * With {@code skip} on, a step whose loss or gradients are NaN or infinite is skipped (no
     * update) and counted, instead of stopping with {@link TrainingDivergedException}.
     */
    public void setSkipNonFinite(boolean skip) { this.skipNonFinite = skip; }

    /** Steps skipped for non-finite values since this trainer was made. */
    public long skippedSteps() { return skippedSteps; }

    /** Ends the running epoch after the current step (e.g. a step limit was reached). */
    public void requestStop() { stopRequested = true; }

    public boolean stopRequested() { return stopRequested; }

    public PhaseTimer timer() { return timer; }

    public Module model() { return model; }

    public Optimizer optimizer() { return optimizer; }

    /** One pass over {@code loader} in training mode. */
    public EpochStats trainEpoch(DataLoader loader, int epoch, Listener listener) {
        return trainEpoch(loader, new EpochProgress(epoch), listener);
    }

    /**
     * Continues epoch {@code progress.epoch()} from batch {@code progress.batches()} (0 for a fresh
     * epoch), adding into {@code progress}; returns the epoch's figures. Stops early when a
     * listener calls {@link #requestStop()}.
     */
    public EpochStats trainEpoch(DataLoader loader, EpochProgress progress, Listener listener) {
        int epoch = progress.epoch();
        int batches = loader.batchesPerEpoch();
        List<Param> params = model.params();
        stopRequested = false;
        timer.restart();
        long start = System.nanoTime();
        try (DataLoader.Epoch e = loader.epoch(epoch, progress.batches())) {
            while (!stopRequested) {
                boolean more = e.next();
                timer.lap(PhaseTimer.Phase.DATA);
                if (!more) break;
                Tensor x = deviceBatches == null ? e.inputs() : deviceBatches.inputs(e.inputs());
                Tensor y = e.targets();
                int n = x.shape().dim(0);

                Tensor out = model.forward(x, Mode.TRAIN);
                double l = loss.forward(out, y);
                timer.lap(PhaseTimer.Phase.FORWARD);
                String bad = null;
                boolean recoverable = true;
                if (!Double.isFinite(l)) {
                    recoverable = NonFinite.firstBadValue(params) == null; // skipping cannot help once the weights are gone
                    bad = NonFinite.explainLoss(l, x, params);
                }
                if (bad == null) {
                    model.zeroGrad();
                    model.backward(loss.backward());
                    timer.lap(PhaseTimer.Phase.BACKWARD);
                    Param p = NonFinite.firstBadGradient(params);
                    if (p != null) bad = "the gradient of " + p.name() + " is the first (from the output) to go non-finite (loss " + l + ")";
                }
                if (bad != null) {
                    if (!skipNonFinite || !recoverable) {
                        throw new TrainingDivergedException("training diverged at step " + (step + 1) + " (epoch " + epoch
                                + ", batch " + (progress.batches() + 1) + "): " + bad, step + 1);
                    }
                    progress.skip();
                    skippedSteps++;
                } else {
                    if (schedule != null) optimizer.setLearningRate(schedule.lr(step));
                    optimizer.step();
                    timer.lap(PhaseTimer.Phase.UPDATE);
                    progress.add(l, n, correct(loss, out, y));
                }
                step++;
                if (listener != null) {
                    listener.onBatch(epoch, progress.batches(), batches, progress.meanLoss(), progress.accuracy(), progress.samples());
                    progress.addSeconds((System.nanoTime() - start) / 1e9);
                    start = System.nanoTime();
                    listener.onStep(this, progress);
                    timer.restart(); // the listener's time (checkpoints, logs) is no training phase
                }
            }
        }
        progress.addSeconds((System.nanoTime() - start) / 1e9);
        return progress.stats();
    }

    /** Mean loss and accuracy over {@code loader} in evaluation mode; no gradients. */
    public static EpochStats evaluate(Module model, Loss loss, DataLoader loader) {
        return evaluate(model, loss, loader, Device.CPU);
    }

    /** {@link #evaluate(Module, Loss, DataLoader)} of a model that lives on {@code device}. */
    public static EpochStats evaluate(Module model, Loss loss, DataLoader loader, Device device) {
        DeviceBatches batches = new DeviceBatches(device);
        try {
            return evaluate(model, loss, loader, batches);
        } finally {
            batches.close();
        }
    }

    private static EpochStats evaluate(Module model, Loss loss, DataLoader loader, DeviceBatches batches) {
        long start = System.nanoTime();
        double lossSum = 0;
        long correct = 0;
        long samples = 0;
        try (DataLoader.Epoch e = loader.epoch(0)) {
            while (e.next()) {
                Tensor x = batches.inputs(e.inputs());
                Tensor y = e.targets();
                int n = x.shape().dim(0);
                Tensor out = model.forward(x, Mode.EVAL);
                lossSum += loss.forward(out, y) * n;
                correct += correct(loss, out, y);
                samples += n;
            }
        }
        return new EpochStats(0, lossSum / Math.max(1, samples), (double) correct / Math.max(1, samples),
                samples, (System.nanoTime() - start) / 1e9);
    }

    /**
     * {@link #countCorrect}, taken from the loss when it has just counted it: cross-entropy finds
     * each row's argmax in its forward (on a GPU it comes back with the losses), so no second pass.
     */
    private static int correct(Loss loss, Tensor out, Tensor targets) {
        if (loss instanceof SoftmaxCrossEntropy s && out.shape().rank() == 2 && s.count() == out.shape().dim(0)) return s.correct();
        return countCorrect(out, targets);
    }

    /** Rows of {@code out} [N, C] whose largest entry is at the target class. */
    public static int countCorrect(Tensor out, Tensor targets) {
        int n = out.shape().dim(0);
        int c = out.shape().stride0();
        float[] t = targets.toCpu().data();
        if (!out.device().isCpu()) {
            int[] best = CudaChecks.argmaxRows(out, n, c);   // n numbers come back, not the output
            int correct = 0;
            for (int i = 0; i < n; i++) {
                if (best[i] == (int) t[i]) correct++;
            }
            return correct;
        }
        float[] o = out.data();
        int correct = 0;
        for (int i = 0; i < n; i++) {
            if (Kernels.argmax(c, o, i * c) == (int) t[i]) correct++;
        }
        return correct;
    }
}
