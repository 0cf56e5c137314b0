package org.neurite.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neurite.layers.Module;
import org.neurite.layers.loss.SoftmaxCrossEntropy;
import org.neurite.models.checkpoint.Checkpoint;
import org.neurite.models.checkpoint.TrainingState;
import org.neurite.models.data.DataLoader;
import org.neurite.models.data.MnistDataset;
import org.neurite.models.train.EpochStats;
import org.neurite.models.train.Trainer;
import org.neurite.models.zoo.ModelZoo;
import org.neurite.runtime.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code neurite evaluate}: accuracy and loss of a run's latest checkpoint on a labelled set. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a trained run on labelled images; prints `accuracy X` and `loss Y`.",
        footer = {"", "Examples:",
                "  neurite evaluate --run runs/lenet5        (the bundled sample's 500 test digits)",
                "  neurite evaluate --run runs/lenet5 --images t10k-images-idx3-ubyte.gz --labels t10k-labels-idx1-ubyte.gz"})
public final class EvaluateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--run", required = true, paramLabel = "RUN_DIR", description = "Run directory written by `neurite train`.")
    Path run;

    @Option(names = "--images", paramLabel = "FILE", description = "IDX images (plain or .gz). Default: the bundled test sample.")
    Path images;

    @Option(names = "--labels", paramLabel = "FILE", description = "IDX labels (plain or .gz); required with --images.")
    Path labels;

    @Option(names = "--batch", defaultValue = "256", description = "Evaluation batch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Override public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if ((images == null) != (labels == null)) throw new UsageException("--images and --labels go together");
        if (batch <= 0) throw new UsageException("--batch must be positive, got " + batch);
        if (!Files.isDirectory(run)) throw new UsageException("--run: no such run directory: " + run);
        Path checkpoint = Checkpoint.latest(run)
                .orElseThrow(() -> new UsageException("--run: " + run + " holds no checkpoint (no 'latest' file)"));
        TrainingState state = Checkpoint.readState(checkpoint);
        Module model = ModelZoo.get(state.modelName()).build(new Rng(0));
        Checkpoint.loadWeights(checkpoint.resolve(Checkpoint.WEIGHTS), model.params());

        MnistDataset data = images == null ? MnistDataset.bundledSample(MnistDataset.Split.TEST) : MnistDataset.fromFiles(images, labels);
        EpochStats s;
        try (DataLoader loader = DataLoader.builder(data).batchSize(batch).build()) {
            s = Trainer.evaluate(model, new SoftmaxCrossEntropy(), loader);
        }
        out.printf(Locale.ROOT, "# %s (epoch %d) on %s: %d images%n", state.modelName(), state.epoch(), data.source(), s.samples());
        out.printf(Locale.ROOT, "accuracy %.4f%n", s.accuracy());
        out.printf(Locale.ROOT, "loss %.4f%n", s.loss());
        out.flush();
        return 0;
    }
}
