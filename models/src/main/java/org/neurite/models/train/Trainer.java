package org.neurite.models.train;

import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.layers.loss.Loss;
import org.neurite.layers.optim.LrSchedule;
import org.neurite.layers.optim.Optimizer;
import org.neurite.models.data.DataLoader;
import org.neurite.runtime.Kernels;
import org.neurite.runtime.Tensor;

/**
 * Runs epochs of mini-batches: forward, loss, zero-grad, backward, optimizer step; and evaluation.
 * Listeners see every batch (progress bars) and every epoch (checkpoints, logs).
 */
public final class Trainer {
    /** Callbacks; all optional. */
    public interface Listener {
        /** After each training batch: running mean loss and accuracy of this epoch so far. */
        default void onBatch(int epoch, int batch, int batches, double runningLoss, double runningAccuracy, long samples) { }
    }

    private final Module model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final PhaseTimer timer = new PhaseTimer();
    private LrSchedule schedule;
    private long step;

    public Trainer(Module model, Loss loss, Optimizer optimizer) {
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
        model.setNeedsInputGrad(false); // training never needs the gradient of the data
    }

    /** Sets the learning rate before every step from now on; null keeps the optimizer's rate. */
    public void setSchedule(LrSchedule schedule) { this.schedule = schedule; }

    /** Optimizer steps taken so far (over all epochs). */
    public long step() { return step; }

    /** Sets the step counter (a resumed run continues its numbering). */
    public void setStep(long step) { this.step = step; }

    public PhaseTimer timer() { return timer; }

    public Module model() { return model; }

    public Optimizer optimizer() { return optimizer; }

    /** One pass over {@code loader} in training mode. */
    public EpochStats trainEpoch(DataLoader loader, int epoch, Listener listener) {
        long start = System.nanoTime();
        double lossSum = 0;
        long correct = 0;
        long samples = 0;
        int batch = 0;
        int batches = loader.batchesPerEpoch();
        timer.restart();
        try (DataLoader.Epoch e = loader.epoch(epoch)) {
            while (true) {
                boolean more = e.next();
                timer.lap(PhaseTimer.Phase.DATA);
                if (!more) break;
                Tensor x = e.inputs();
                Tensor y = e.targets();
                int n = x.shape().dim(0);

                Tensor out = model.forward(x, Mode.TRAIN);
                double l = loss.forward(out, y);
                timer.lap(PhaseTimer.Phase.FORWARD);
                if (!Double.isFinite(l)) throw new TrainingDivergedException(step + 1, l);

                model.zeroGrad();
                model.backward(loss.backward());
                timer.lap(PhaseTimer.Phase.BACKWARD);

                if (schedule != null) optimizer.setLearningRate(schedule.lr(step));
                optimizer.step();
                step++;
                timer.lap(PhaseTimer.Phase.UPDATE);

                lossSum += l * n;
                correct += countCorrect(out, y);
                samples += n;
                batch++;
                if (listener != null) listener.onBatch(epoch, batch, batches, lossSum / samples, (double) correct / samples, samples);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new EpochStats(epoch, samples == 0 ? Double.NaN : lossSum / samples,
                samples == 0 ? Double.NaN : (double) correct / samples, samples, seconds);
    }

    /** Mean loss and accuracy over {@code loader} in evaluation mode; no gradients. */
    public static EpochStats evaluate(Module model, Loss loss, DataLoader loader) {
        long start = System.nanoTime();
        double lossSum = 0;
        long correct = 0;
        long samples = 0;
        try (DataLoader.Epoch e = loader.epoch(0)) {
            while (e.next()) {
                Tensor x = e.inputs();
                Tensor y = e.targets();
                int n = x.shape().dim(0);
                Tensor out = model.forward(x, Mode.EVAL);
                lossSum += loss.forward(out, y) * n;
                correct += countCorrect(out, y);
                samples += n;
            }
        }
        return new EpochStats(0, lossSum / Math.max(1, samples), (double) correct / Math.max(1, samples),
                samples, (System.nanoTime() - start) / 1e9);
    }

    /** Rows of {@code out} [N, C] whose largest entry is at the target class. */
    public static int countCorrect(Tensor out, Tensor targets) {
        int n = out.shape().dim(0);
        int c = out.shape().stride0();
        float[] o = out.data();
        float[] t = targets.data();
        int correct = 0;
        for (int i = 0; i < n; i++) {
            if (Kernels.argmax(c, o, i * c) == (int) t[i]) correct++;
        }
        return correct;
    }
}
