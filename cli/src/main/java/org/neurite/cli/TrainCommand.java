package org.neurite.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.neurite.layers.Module;
import org.neurite.layers.loss.SoftmaxCrossEntropy;
import org.neurite.layers.optim.Optimizer;
import org.neurite.models.checkpoint.Checkpoint;
import org.neurite.models.checkpoint.TrainingState;
import org.neurite.models.data.DataLoader;
import org.neurite.models.data.MnistDataset;
import org.neurite.models.train.EpochStats;
import org.neurite.models.train.Trainer;
import org.neurite.models.zoo.ModelZoo;
import org.neurite.runtime.CudaProbe;
import org.neurite.runtime.Devices;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code neurite train}: trains a model from the zoo, checkpointing at each epoch end. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model; a checkpoint is written to the run directory after every epoch.",
        footer = {"", "Examples:",
                "  neurite train --model lenet5                       (bundled MNIST sample, 5 epochs)",
                "  neurite train --model lenet5 --data ~/mnist --epochs 10 --optimizer adam --lr 0.001",
                "  neurite train --model lenet5 --out runs/first --seed 7 --threads 2"})
public final class TrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", defaultValue = "lenet5", description = "Model name (see `neurite models`). Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder with MNIST-style IDX files (train-images-idx3-ubyte[.gz], ...). Default: the bundled sample.")
    Path data;

    @Option(names = "--epochs", defaultValue = "5", description = "Epochs. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch", defaultValue = "32", description = "Mini-batch size. Default: ${DEFAULT-VALUE} (as Keras).")
    int batch;

    @Option(names = "--optimizer", defaultValue = "sgd", description = "sgd or adam. Default: ${DEFAULT-VALUE}.")
    String optimizer;

    @Option(names = "--lr", description = "Learning rate. Default: 0.01 for sgd, 0.001 for adam.")
    Double lr;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum. Default: ${DEFAULT-VALUE}.")
    double momentum;

    @Option(names = "--schedule", defaultValue = "cosine",
            description = "Learning-rate schedule: none, cosine (to 0 over the run), step:E:G (x G every E epochs). Default: ${DEFAULT-VALUE}.")
    String schedule;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (weights, shuffling). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, cuda or cuda:N. Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--cuda-libs", paramLabel = "DIR",
            description = "Folder with libcublasLt, libcublas and libcudnn (also: NEURITE_CUDA_LIBS).")
    Path cudaLibs;

    @Option(names = "--threads", description = "CPU threads. Default: all cores.")
    Integer threads;

    @Option(names = "--out", paramLabel = "RUN_DIR", description = "Run directory for checkpoints. Default: runs/<model>-<time>.")
    Path out;

    @Option(names = "--quiet", description = "No progress bar; one line per epoch.")
    boolean quiet;

    @Override public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        validate();
        if (threads != null) Parallel.setThreads(threads);
        if (cudaLibs != null) CudaProbe.useLibraryDir(cudaLibs);
        Devices.select(device, new java.io.PrintStream(System.err, true));

        ModelZoo.Spec modelSpec = ModelZoo.get(model);
        MnistDataset train = data == null ? MnistDataset.bundledSample(MnistDataset.Split.TRAIN) : MnistDataset.load(data, MnistDataset.Split.TRAIN);
        MnistDataset test = data == null ? MnistDataset.bundledSample(MnistDataset.Split.TEST) : MnistDataset.load(data, MnistDataset.Split.TEST);
        Path runDir = out != null ? out : Path.of("runs", model + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(runDir);

        Rng rng = new Rng(seed);
        Module net = modelSpec.build(rng);
        Optimizer opt = Optimizers.create(optimizer, net.params(), lr, momentum);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Trainer trainer = new Trainer(net, loss, opt);

        stdout.printf("train %s (%,d parameters) on %s: %,d training and %,d test images; %d epochs, batch %d, %s lr %s; %d threads%n",
                model, net.parameterCount(), train.source(), train.size(), test.size(), epochs, batch, optimizer,
                opt.learningRate(), Parallel.threads());
        stdout.println("run directory: " + runDir);
        stdout.flush();

        Map<String, String> config = resolvedConfig(runDir);
        Path lastCheckpoint = null;
        try (DataLoader trainLoader = DataLoader.builder(train).batchSize(batch).shuffle(seed + 1).dropLast(false).prefetch(true).build();
             DataLoader testLoader = DataLoader.builder(test).batchSize(Math.max(batch, 256)).prefetch(true).build();
             ProgressReporter progress = new ProgressReporter(stdout, quiet, epochs)) {
            trainer.setSchedule(Schedules.parse(schedule, opt.learningRate(), epochs, trainLoader.batchesPerEpoch()));
            for (int epoch = 1; epoch <= epochs; epoch++) {
                progress.startEpoch(epoch, trainLoader.samplesPerEpoch());
                EpochStats stats = trainer.trainEpoch(trainLoader, epoch, progress);
                EpochStats testStats = Trainer.evaluate(net, loss, testLoader);
                progress.endEpoch(stats, testStats);
                Path saved = Checkpoint.save(runDir, net.params(), opt,
                        new TrainingState(model, optimizer, epoch, 0, trainer.step(), rng.saveState(), config));
                lastCheckpoint = saved;
            }
        }
        stdout.println("checkpoint: " + lastCheckpoint);
        return 0;
    }

    private void validate() {
        if (epochs <= 0) throw new UsageException("--epochs must be positive, got " + epochs);
        if (batch <= 0) throw new UsageException("--batch must be positive, got " + batch);
        if (lr != null && !(lr > 0)) throw new UsageException("--lr must be positive, got " + lr);
        if (momentum < 0 || momentum >= 1) throw new UsageException("--momentum must be in [0, 1), got " + momentum);
        if (threads != null && threads <= 0) throw new UsageException("--threads must be positive, got " + threads);
        if (data != null && !Files.isDirectory(data)) throw new UsageException("--data: no such directory: " + data);
        Optimizers.check(optimizer);
        Schedules.parse(schedule, 0.1, epochs, 1);
    }

    private Map<String, String> resolvedConfig(Path runDir) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("model", model);
        c.put("data", data == null ? "bundled:mnist" : data.toAbsolutePath().toString());
        c.put("epochs", Integer.toString(epochs));
        c.put("batch", Integer.toString(batch));
        c.put("optimizer", optimizer);
        c.put("lr", lr == null ? "default" : lr.toString());
        c.put("momentum", Double.toString(momentum));
        c.put("schedule", schedule);
        c.put("seed", Long.toString(seed));
        c.put("threads", Integer.toString(Parallel.threads()));
        c.put("run_dir", runDir.toString());
        return c;
    }
}
