package org.neurite.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.neurite.models.run.ConfigKey;
import org.neurite.models.run.RunConfig;
import org.neurite.models.run.RunConfigYaml;
import org.neurite.models.run.TrainingRun;
import org.neurite.models.run.DataSpec;
import org.neurite.models.text.CharLmTraining;
import org.neurite.models.text.TextCorpus;
import org.neurite.models.zoo.CharLm;
import org.neurite.runtime.CudaProbe;
import org.neurite.runtime.Device;
import org.neurite.runtime.Devices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code neurite train}: trains a model from the zoo into a run directory, or resumes one. Every
 * option can also come from a run file ({@code --config run.yaml}, keys are the option names
 * without dashes); options given on the command line win over the file.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        defaultValueProvider = TrainDefaults.class,
        description = {"Train a model, or resume a run.",
                "The run directory keeps config.yaml, metrics.csv, loss and accuracy curves and checkpoints "
                        + "(every epoch, and every --checkpoint-every steps). Every option can also come from a "
                        + "YAML run file (--config); options on the command line win."},
        footer = {"", "Examples:",
                "  neurite train --model lenet5                 (bundled MNIST sample, 5 epochs)",
                "  neurite train --data ~/mnist --epochs 10 --optimizer adam --lr 0.001",
                "  neurite train --config run.yaml --epochs 3   (flags override the file)",
                "  neurite train --val-split 0.1 --early-stop-patience 2 --out runs/a",
                "  neurite train --resume runs/a                (continue where it stopped)",
                "  neurite train --resume runs/a --epochs 8     (train a finished run further)",
                "",
                "Exit codes: 0 done, 1 diverged (NaN/Inf), 2 bad usage or input, 3 device error."})
public final class TrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Run file (YAML) with any of these options.")
    Path config;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue the run in RUN_DIR from its newest complete checkpoint, with its config.yaml.")
    Path resume;

    @Option(names = "--model", description = "Model name (see `neurite models`). Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--data", paramLabel = "SPEC",
            description = {"DIR or mnist:DIR (IDX files, train-images-idx3-ubyte[.gz] ...), cifar10:DIR, cifar100:DIR,",
                    "folder:DIR (DIR/train/<class>/*.png, DIR/test/...), text:FILE (char models).",
                    "Default: the bundled MNIST or text sample."})
    Path data;

    @Option(names = "--epochs", description = "Epochs. Default: ${DEFAULT-VALUE}.")
    Integer epochs;

    @Option(names = "--batch", description = "Mini-batch size. Default: ${DEFAULT-VALUE} (as Keras).")
    Integer batch;

    @Option(names = "--optimizer", description = "sgd or adam. Default: ${DEFAULT-VALUE}.")
    String optimizer;

    @Option(names = "--lr", description = "Learning rate. Default: 0.01 for sgd, 0.001 for adam.")
    Double lr;

    @Option(names = "--momentum", description = "SGD momentum. Default: ${DEFAULT-VALUE}.")
    Double momentum;

    @Option(names = "--schedule", description = "LR schedule: none, cosine (to 0 over the run), step:E:G (x G every E epochs). "
            + "Default: ${DEFAULT-VALUE}.")
    String schedule;

    @Option(names = "--seed", description = "Random seed (weights, shuffling, validation split). Default: ${DEFAULT-VALUE}.")
    Long seed;

    @Option(names = "--threads", description = "CPU threads. Default: all cores.")
    Integer threads;

    @Option(names = "--device", description = "auto, cpu, cuda or cuda:N. Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--cuda-libs", paramLabel = "DIR", description = "Folder with libcublasLt, libcublas and libcudnn (also: NEURITE_CUDA_LIBS).")
    Path cudaLibs;

    @Option(names = "--deterministic", description = {"Deterministic cuDNN algorithms only: on a GPU the same run gives the same "
            + "bits, perhaps more slowly.", "On the CPU a no-op (always deterministic for a given --threads)."})
    Boolean deterministic;

    @Option(names = "--out", paramLabel = "RUN_DIR", description = "Run directory. Default: runs/<model>-<time>.")
    Path out;

    @Option(names = "--val-split", paramLabel = "F", description = "Hold out this fraction of the training set for validation "
            + "(drawn by the seed). Default: ${DEFAULT-VALUE} (none).")
    Double valSplit;

    @Option(names = "--early-stop-patience", paramLabel = "N",
            description = "Stop after N epochs without improvement of --early-stop-metric (needs --val-split). Default: off.")
    Integer earlyStopPatience;

    @Option(names = "--early-stop-metric", paramLabel = "M", description = "val_loss or val_accuracy. Default: ${DEFAULT-VALUE}.")
    String earlyStopMetric;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "Also checkpoint every N steps. Default: at epoch ends only.")
    Integer checkpointEvery;

    @Option(names = "--keep-last", paramLabel = "K", description = "Keep only the newest K checkpoints. Default: all.")
    Integer keepLast;

    @Option(names = "--log-every", paramLabel = "N", description = "A metrics line (and metrics.csv row) every N steps. Default: off.")
    Integer logEvery;

    @Option(names = "--max-steps", paramLabel = "N", description = "Stop (with a checkpoint) after N steps in all. Default: no limit.")
    Long maxSteps;

    @Option(names = "--limit-train", paramLabel = "N", description = "Train on the first N training images only. Default: all.")
    Integer limitTrain;

    @Option(names = "--skip-nonfinite", description = "Skip (and count) steps whose loss or gradients are NaN/Inf instead of stopping.")
    Boolean skipNonfinite;

    @Option(names = "--quiet", description = "No progress bar; one line per epoch.")
    Boolean quiet;

    @Override public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        Map<String, RunConfigYaml.Setting> flags = givenFlags();
        boolean quietNow = Boolean.TRUE.equals(quiet);
        TrainingRun run;
        if (resume != null) {
            if (config != null) throw new UsageException("--config cannot be combined with --resume (the run keeps its own config.yaml)");
            if (out != null) throw new UsageException("--out cannot be combined with --resume (the run directory is the one resumed)");
            Device dev = selectDevice(flags);
            ProgressReporter progress = new ProgressReporter(stdout, quietNow);
            run = TrainingRun.resume(resume, flags, progress, dev);
            return train(run, progress, stdout);
        }
        RunConfig.Builder b = RunConfig.builder();
        if (config != null) b.load(config);
        flags.forEach((k, s) -> b.set(k, s.value(), s.origin()));
        RunConfig c = b.build();
        DataSpec data;
        try {
            data = DataSpec.of(c.data());
        } catch (IllegalArgumentException e) {
            throw new UsageException(where(c, "data") + e.getMessage().substring("--data".length()));
        }
        if (data != null) {
            boolean text = data.kind() == DataSpec.Kind.TEXT;
            if (text ? !Files.isRegularFile(data.path()) : !Files.isDirectory(data.path())) {
                throw new UsageException(where(c, "data") + ": no such " + (text ? "file: " : "directory: ") + data.path());
            }
        }
        boolean charModel = CharLm.cellOf(c.model()) != null;
        if (!charModel && data != null && data.kind() == DataSpec.Kind.TEXT) {
            throw new UsageException(where(c, "data") + ": text data trains char-rnn, char-lstm or char-gru, not " + c.model());
        }
        if (charModel && data != null && data.kind() != DataSpec.Kind.TEXT) {
            throw new UsageException(where(c, "data") + ": " + c.model() + " trains on text: use --data text:FILE");
        }
        if (c.out() == null) {
            c = c.toBuilder().set("out", Path.of("runs", c.model() + "-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))), "default").build();
        }
        if (c.cudaLibs() != null) CudaProbe.useLibraryDir(c.cudaLibs());
        Device dev = Devices.select(c.device(), new PrintStream(System.err, true));
        if (charModel) return trainCharModel(c, data, stdout);
        ProgressReporter progress = new ProgressReporter(stdout, c.quiet());
        return train(TrainingRun.fresh(c, progress, dev), progress, stdout);
    }

    /**
     * The character language models train on random windows of a corpus for a number of steps
     * (W2's recipe: Adam, batch 32 x 64 characters, clipping at norm 5): --max-steps (default
     * 2,000), --lr (default 0.002), --seed; the vocabulary is saved beside the checkpoints for
     * {@code neurite generate}.
     */
    private int trainCharModel(RunConfig c, DataSpec data, PrintWriter stdout) throws Exception {
        TextCorpus corpus = data == null ? TextCorpus.bundledSample() : TextCorpus.characters(data.path());
        CharLmTraining.Config tc = CharLmTraining.Config.defaults(c.model()).withSeed(c.seed());
        if (c.maxSteps() > 0) tc = tc.withTrainingSteps((int) Math.min(Integer.MAX_VALUE, c.maxSteps()));
        if (c.lr() != null) tc = tc.withLr(c.lr());
        Files.createDirectories(c.out());
        stdout.printf("train %s on %s (%,d characters, vocabulary %d): %,d steps of %d x %d characters%n",
                c.model(), corpus.source(), corpus.length(), corpus.vocabulary().size(), tc.trainingSteps(), tc.batch(), tc.steps());
        CharLmTraining.Outcome o = CharLmTraining.train(tc, corpus, c.out(), stdout);
        stdout.printf("loss %.4f (mean of the last steps) after %d steps%n", o.recentLoss(), o.steps());
        stdout.println("checkpoint: " + o.checkpoint());
        stdout.println("sample it: neurite generate --run " + c.out());
        stdout.flush();
        return 0;
    }

    private static int train(TrainingRun run, ProgressReporter progress, PrintWriter stdout) throws Exception {
        try (run; progress) {
            run.train();
        }
        if (run.lastCheckpoint() != null) stdout.println("checkpoint: " + run.lastCheckpoint());
        stdout.flush();
        return 0;
    }

    private Device selectDevice(Map<String, RunConfigYaml.Setting> flags) {
        if (cudaLibs != null) CudaProbe.useLibraryDir(cudaLibs);
        return Devices.select(flags.containsKey("device") ? device : "auto", new PrintStream(System.err, true));
    }

    /** The options typed on the command line (not defaults), by run-file key, with the flag as origin. */
    private Map<String, RunConfigYaml.Setting> givenFlags() {
        Map<String, RunConfigYaml.Setting> m = new LinkedHashMap<>();
        for (OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            String key = o.longestName().substring(2);
            if (ConfigKey.byName(key) != null) m.put(key, new RunConfigYaml.Setting(o.getValue(), o.longestName()));
        }
        return m;
    }

    private static String where(RunConfig c, String key) {
        String o = c.origin(key);
        return o.startsWith("--") || o.equals("default") ? "--" + key : o + ": " + key;
    }
}
