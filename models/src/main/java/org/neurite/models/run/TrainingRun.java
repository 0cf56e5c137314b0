package org.neurite.models.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.layers.Module;
import org.neurite.layers.loss.SoftmaxCrossEntropy;
import org.neurite.layers.optim.Optimizer;
import org.neurite.models.checkpoint.Checkpoint;
import org.neurite.models.checkpoint.TrainingState;
import org.neurite.models.data.DataLoader;
import org.neurite.models.data.InputDataException;
import org.neurite.models.report.MetricsCsv;
import org.neurite.models.report.MetricsRow;
import org.neurite.models.report.TrainingCharts;
import org.neurite.models.train.EarlyStopping;
import org.neurite.models.train.EpochProgress;
import org.neurite.models.train.EpochStats;
import org.neurite.models.train.Optimizers;
import org.neurite.models.train.Schedules;
import org.neurite.models.train.Trainer;
import org.neurite.models.train.TrainingDivergedException;
import org.neurite.layers.Modules;
import org.neurite.models.zoo.ModelZoo;
import org.neurite.runtime.Device;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Rng;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.CudnnOptions;

/**
 * A training run from start to end, or resumed where its last complete checkpoint left it:
 * epochs of {@link Trainer} steps, a validation pass and a test pass after each epoch,
 * {@code metrics.csv} rows, curves, checkpoints (every epoch and every {@code checkpoint-every}
 * steps, the newest {@code keep-last} kept), early stopping and a step limit. A resumed run
 * continues exactly: weights, optimizer moments, step (so the LR schedule), epoch and batch within
 * it (so the data order), running sums, early-stopping state and the generator all come back.
 *
 * <pre>{@code
 * try (TrainingRun run = TrainingRun.fresh(config, listener)) { run.train(); }
 * try (TrainingRun run = TrainingRun.resume(runDir, overrides, listener)) { run.train(); }
 * }</pre>
 */
public final class TrainingRun implements AutoCloseable {
    /** What a user interface sees: messages, per-batch progress, epoch starts and metrics rows. */
    public interface Listener extends Trainer.Listener {
        default void message(String line) { }

        /** Epoch {@code epoch} of {@code epochs} starts (or resumes after {@code samplesDone} of {@code samples}). */
        default void onEpochStart(int epoch, int epochs, long samples, long samplesDone) { }

        /** A row was appended to metrics.csv. */
        default void onMetrics(MetricsRow row) { }
    }

    /** Settings that may change when resuming; the others define the run and must stay. */
    public static final List<String> RESUMABLE_OVERRIDES = List.of("epochs", "max-steps", "threads", "device", "cuda-libs", "deterministic", "quiet",
            "log-every", "checkpoint-every", "keep-last", "early-stop-patience", "skip-nonfinite");

    private final RunDirectory dir;
    private final RunLock lock;
    private final RunConfig config;
    private final Listener ui;
    private final Rng rng;
    private final Module model;
    private final Optimizer optimizer;
    private final Trainer trainer;
    private final SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
    private final RunData data;
    private TrainingState state; // null: from the beginning
    private Path lastCheckpoint;
    private final Device device;

    /** The device the model trains on. */
    public Device device() { return device; }

    private TrainingRun(RunDirectory dir, RunLock lock, RunConfig config, RunData data, Listener ui, Device device) {
        this.dir = dir;
        this.data = data;
        this.lock = lock;
        this.config = config;
        this.ui = ui;
        this.rng = new Rng(config.seed());
        this.device = device;
        // Before the model's first forward, where the cuDNN ops choose their algorithms.
        if (!device.isCpu() && device instanceof CudaDevice cuda) cuda.setCudnnOptions(cudnnOptions(config, cuda.cudnnOptions()));
        this.model = ModelZoo.get(config.model()).build(rng);
        Modules.moveTo(model, device); // before the optimizer, whose state lives beside the parameters
        this.optimizer = Optimizers.create(config.optimizer(), model.params(), config.lr(), config.momentum());
        this.trainer = new Trainer(model, loss, optimizer);
        trainer.setDevice(device);
        trainer.setSkipNonFinite(config.skipNonfinite());
    }

    /** Starts a new run on the CPU; see {@link #fresh(RunConfig, Listener, Device)}. */
    public static TrainingRun fresh(RunConfig config, Listener ui) throws IOException, InputDataException {
        return fresh(config, ui, Device.CPU);
    }

    /** Starts a new run in {@code config.out()} (which must not hold one) on {@code device}, writing its config.yaml. */
    public static TrainingRun fresh(RunConfig config, Listener ui, Device device) throws IOException, InputDataException {
        ModelZoo.get(config.model()); // an unknown model or bad data fails before anything is written
        RunData data = RunData.load(config);
        RunDirectory dir = RunDirectory.create(config.out());
        RunLock lock = RunLock.acquire(dir.path());
        try {
            RunConfig resolved = resolve(config);
            RunConfigYaml.write(dir.config(), resolved);
            return new TrainingRun(dir, lock, resolved, data, ui, device);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Reopens the run in {@code runDir} with its config.yaml, overridden by {@code overrides}
     * (only {@link #RESUMABLE_OVERRIDES} may differ), and loads its newest complete checkpoint.
     */
    public static TrainingRun resume(Path runDir, Map<String, RunConfigYaml.Setting> overrides, Listener ui)
            throws IOException, InputDataException {
        return resume(runDir, overrides, ui, Device.CPU);
    }

    /** Continues the run in {@code runDir} on {@code device} from its newest complete checkpoint. */
    public static TrainingRun resume(Path runDir, Map<String, RunConfigYaml.Setting> overrides, Listener ui, Device device)
            throws IOException, InputDataException {
        RunDirectory dir = RunDirectory.open(runDir);
        RunLock lock = RunLock.acquire(dir.path());
        try {
            RunConfig saved = RunConfig.builder().load(dir.config()).build();
            RunConfig.Builder b = saved.toBuilder();
            for (Map.Entry<String, RunConfigYaml.Setting> o : overrides.entrySet()) {
                Object was = saved.values().get(o.getKey());
                RunConfig probe = RunConfig.builder().set(o.getKey(), o.getValue().value(), o.getValue().origin()).build();
                Object now = probe.values().get(o.getKey());
                if (!RESUMABLE_OVERRIDES.contains(o.getKey()) && !java.util.Objects.equals(was, now)) {
                    throw new ConfigException(o.getValue().origin() + ": cannot change when resuming (the run has " + o.getKey() + " " + was
                            + "); start a new run for other settings");
                }
                b.set(o.getKey(), o.getValue().value(), o.getValue().origin());
            }
            RunConfig config = resolve(b.set("out", runDir, "--resume").build());
            if (config.threads() != null && !config.threads().equals(saved.threads())) {
                ui.message("note: " + config.threads() + " threads where the run began with " + saved.threads()
                        + "; results may differ in the last bits");
            }
            if (config.epochs() != saved.epochs() && !config.schedule().equals("none")) {
                ui.message("note: the " + config.schedule() + " learning-rate schedule now spans " + config.epochs()
                        + " epochs instead of " + saved.epochs() + ", from the step where the run stands");
            }
            TrainingRun run = new TrainingRun(dir, lock, config, RunData.load(config), ui, device);
            for (Path p : dir.removeLeftovers()) ui.message("removed " + dir.path().relativize(p) + ", left by an interrupted write");
            RunConfigYaml.write(dir.config(), config);
            run.load();
            return run;
        } catch (IOException | InputDataException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** {@code current} with the run's {@code deterministic} setting (the rest, e.g. benchmark mode, kept). */
    static CudnnOptions cudnnOptions(RunConfig config, CudnnOptions current) {
        return current.withDeterministic(config.deterministic());
    }

    /** Makes the implicit explicit: the learning rate, the thread count and the directory. */
    private static RunConfig resolve(RunConfig c) {
        RunConfig.Builder b = c.toBuilder();
        if (c.lr() == null) b.set("lr", Optimizers.defaultLr(c.optimizer()), "default");
        if (c.threads() != null && c.threads() != Parallel.threads()) Parallel.setThreads(c.threads());
        b.set("threads", Parallel.threads(), c.origin("threads"));
        b.set("out", c.out().toAbsolutePath().normalize(), c.origin("out"));
        return b.build();
    }

    private void load() throws IOException {
        var loaded = dir.loadNewestCheckpoint(Checkpoint.tensorsOf(model), optimizer, ui::message);
        if (loaded.isEmpty()) {
            ui.message("no complete checkpoint in " + dir.path() + "; starting the run from its beginning");
            return;
        }
        state = loaded.get().state();
        lastCheckpoint = loaded.get().checkpoint();
        if (state.rngState().length > 0) rng.restoreState(state.rngState());
        ui.message("resuming from " + dir.path().relativize(lastCheckpoint) + " (epoch " + state.epoch() + ", batch "
                + state.batchInEpoch() + ", step " + state.globalStep() + ")");
        try {
            int dropped = dir.metrics().truncateAfter(state.globalStep());
            if (dropped > 0) ui.message("metrics.csv: dropped " + dropped + " line(s) written after that checkpoint");
        } catch (InputDataException e) {
            throw new RunException("cannot continue " + MetricsCsv.FILE + ": " + e.getMessage(), e);
        }
    }

    public RunConfig config() { return config; }

    public Module model() { return model; }

    public Path directory() { return dir.path(); }

    /** The newest checkpoint written or loaded, or null. */
    public Path lastCheckpoint() { return lastCheckpoint; }

    /** Runs the remaining epochs; returns the last epoch's figures (null when nothing was left to do). */
    public EpochFigures train() throws IOException, InputDataException {
        ui.message(String.format("train %s (%,d parameters) on %s: %,d training%s and %,d test images; %d epochs, batch %d, %s lr %s; %d threads",
                config.model(), model.parameterCount(), data.source(), data.train().size(),
                data.val() == null ? "" : String.format(", %,d validation", data.val().size()), data.test().size(),
                config.epochs(), config.batch(), config.optimizer(), config.lr(), Parallel.threads()));
        ui.message("run directory: " + dir.path());
        try (DataLoader trainLoader = DataLoader.builder(data.train()).batchSize(config.batch()).shuffle(config.seed() + 1).prefetch(true).build();
             DataLoader valLoader = data.val() == null ? null : DataLoader.builder(data.val()).batchSize(Math.max(config.batch(), 256)).build();
             DataLoader testLoader = DataLoader.builder(data.test()).batchSize(Math.max(config.batch(), 256)).build()) {
            return new TrainingLoop(this, trainLoader, valLoader, testLoader).run();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (TrainingDivergedException e) {
            throw new TrainingDivergedException(e.getMessage() + "; " + (lastCheckpoint == null ? "no checkpoint was written yet"
                    : "last good checkpoint: " + lastCheckpoint) + " (try a smaller --lr, or --skip-nonfinite)", e.step());
        }
    }

    /** The figures of the last epoch run: training, validation (null without) and test. */
    public record EpochFigures(EpochStats train, EpochStats val, EpochStats test) { }

    /** Saves a checkpoint; a failed write stops the run with the previous checkpoint intact. */
    Path save(int epoch, int batchInEpoch, Map<String, Double> progress) {
        Map<String, String> cfg = new LinkedHashMap<>();
        config.values().forEach((k, v) -> cfg.put(k, String.valueOf(v)));
        TrainingState s = new TrainingState(config.model(), config.optimizer(), epoch, batchInEpoch, trainer.step(), rng.saveState(), cfg, progress);
        try {
            lastCheckpoint = Checkpoint.save(dir.path(), Checkpoint.tensorsOf(model), optimizer, s);
            if (config.keepLast() > 0) Checkpoint.prune(dir.path(), config.keepLast());
            return lastCheckpoint;
        } catch (IOException e) {
            throw new RunException("cannot write checkpoint " + Checkpoint.dirName(epoch, trainer.step()) + " in " + dir.path() + ": "
                    + RunDirectory.reason(e) + "; " + (lastCheckpoint == null ? "no earlier checkpoint exists"
                    : "the previous checkpoint " + dir.path().relativize(lastCheckpoint) + " is intact")
                    + " (free some space, then: neurite train --resume " + dir.path() + ")", e);
        }
    }

    void writeCharts() throws IOException, InputDataException {
        TrainingCharts.write(dir.path(), dir.metrics().read());
    }

    Trainer trainer() { return trainer; }

    SoftmaxCrossEntropy loss() { return loss; }

    Optimizer optimizer() { return optimizer; }

    Listener ui() { return ui; }

    TrainingState state() { return state; }

    MetricsCsv metrics() { return dir.metrics(); }

    @Override public void close() throws IOException {
        lock.close();
    }
}
