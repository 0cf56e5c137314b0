package org.neurite.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neurite.layers.loss.SoftmaxCrossEntropy;
import org.neurite.models.data.DataLoader;
import org.neurite.models.data.MnistDataset;
import org.neurite.models.report.ConfusionChart;
import org.neurite.models.report.Evaluation;
import org.neurite.models.run.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code neurite evaluate}: accuracy, loss, top-5 accuracy and per-class precision and recall of
 * a run's latest checkpoint on a labelled set, as text or JSON, and the confusion matrix as a PNG.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a trained run on labelled images.",
                "Prints accuracy, loss, top-5 accuracy and per-class precision and recall; draws the confusion matrix."},
        footer = {"", "Examples:",
                "  neurite evaluate --run runs/a             (the bundled sample's 500 test digits)",
                "  neurite evaluate --run runs/a --json > eval.json",
                "  neurite evaluate --run runs/a --confusion confusion.png",
                "  neurite evaluate --run runs/a --images t10k-images-idx3-ubyte.gz \\",
                "                   --labels t10k-labels-idx1-ubyte.gz"})
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

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--confusion", paramLabel = "FILE.png", description = "Where to draw the confusion matrix. Default: RUN_DIR/confusion.png.")
    Path confusion;

    @Override public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if ((images == null) != (labels == null)) throw new UsageException("--images and --labels go together");
        if (batch <= 0) throw new UsageException("--batch must be positive, got " + batch);
        TrainedModel tm = TrainedModel.load(run);
        MnistDataset data = images == null ? MnistDataset.bundledSample(MnistDataset.Split.TEST) : MnistDataset.fromFiles(images, labels);
        Evaluation e;
        try (DataLoader loader = DataLoader.builder(data).batchSize(batch).build()) {
            e = Evaluation.run(tm.model(), new SoftmaxCrossEntropy(), loader, tm.spec().classes());
        }
        Path picture = confusion != null ? confusion : run.resolve("confusion.png");
        ConfusionChart.write(picture, e, String.format(Locale.ROOT, "Confusion matrix: %s epoch %d, %s (accuracy %.4f)",
                tm.state().modelName(), tm.state().epoch(), data.source(), e.accuracy()));
        if (json) {
            out.println(toJson(tm, data, e, picture));
        } else {
            printText(out, tm, data, e, picture);
        }
        out.flush();
        return 0;
    }

    private static void printText(PrintWriter out, TrainedModel tm, MnistDataset data, Evaluation e, Path picture) {
        out.printf(Locale.ROOT, "# %s (epoch %d) on %s: %d images%n", tm.state().modelName(), tm.state().epoch(), data.source(), e.samples());
        out.printf(Locale.ROOT, "accuracy %.4f%n", e.accuracy());
        out.printf(Locale.ROOT, "loss %.4f%n", e.loss());
        if (e.hasTopK()) out.printf(Locale.ROOT, "top5_accuracy %.4f%n", e.topKAccuracy());
        out.println("# class  precision  recall  support");
        for (int k = 0; k < e.classes(); k++) {
            out.printf(Locale.ROOT, "class %d  %.4f  %.4f  %d%n", k, e.precision(k), e.recall(k), e.support(k));
        }
        out.println("# confusion matrix: " + picture);
    }

    private static String toJson(TrainedModel tm, MnistDataset data, Evaluation e, Path picture) throws Exception {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("model", tm.state().modelName());
        root.put("checkpoint", tm.checkpoint().toString());
        root.put("epoch", tm.state().epoch());
        root.put("data", data.source());
        root.put("samples", e.samples());
        root.put("accuracy", e.accuracy());
        root.put("loss", e.loss());
        if (e.hasTopK()) root.put("top5_accuracy", e.topKAccuracy());
        ArrayNode classes = root.putArray("classes");
        for (int k = 0; k < e.classes(); k++) {
            ObjectNode c = classes.addObject();
            c.put("class", k);
            putNumber(c, "precision", e.precision(k)); // null where no sample was predicted as k
            putNumber(c, "recall", e.recall(k));
            c.put("support", e.support(k));
        }
        ArrayNode rows = root.putArray("confusion");
        for (long[] row : e.confusion()) {
            ArrayNode r = rows.addArray();
            for (long v : row) r.add(v);
        }
        root.put("confusion_png", picture.toString());
        return m.writeValueAsString(root);
    }

    private static void putNumber(ObjectNode n, String field, double v) {
        if (Double.isNaN(v)) n.putNull(field);
        else n.put(field, v);
    }
}
