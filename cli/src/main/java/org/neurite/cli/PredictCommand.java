package org.neurite.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neurite.models.run.ImageInput;
import org.neurite.models.run.Prediction;
import org.neurite.models.run.TrainedModel;
import org.neurite.runtime.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code neurite predict}: the most probable classes for pictures or an IDX image, with a trained run. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Classify pictures or an IDX image with a trained run.",
                "Pictures (PNG, JPEG, GIF, BMP) are made grey; a light one (mean brightness above 0.5: a dark digit "
                        + "on paper) is inverted to MNIST's white-on-black; the ink is cropped, scaled to 20x20 and "
                        + "centred by its centre of mass in 28x28, as MNIST's digits are (--no-center: resize only)."},
        footer = {"", "Output: one line per input, `NAME  CLASS PROBABILITY ...`, most probable first.", "",
                "Examples:",
                "  neurite predict --run runs/a digit.png photo.jpg",
                "  neurite predict --run runs/a --top 5 digit.png",
                "  neurite predict --run runs/a --idx t10k-images-idx3-ubyte.gz --index 7"})
public final class PredictCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--run", required = true, paramLabel = "RUN_DIR", description = "Run directory written by `neurite train`.")
    Path run;

    @Parameters(paramLabel = "IMAGE", arity = "0..*", description = "Pictures to classify.")
    List<Path> pictures = List.of();

    @Option(names = "--idx", paramLabel = "FILE", description = "An IDX image file (MNIST format, plain or .gz) instead of pictures.")
    Path idx;

    @Option(names = "--index", paramLabel = "I", defaultValue = "0", description = "Which image of --idx. Default: ${DEFAULT-VALUE}.")
    int index;

    @Option(names = "--top", paramLabel = "K", defaultValue = "3", description = "How many classes to print. Default: ${DEFAULT-VALUE}.")
    int top;

    @Option(names = "--no-center", description = "Resize the whole picture to 28x28 instead of cropping and centring the ink.")
    boolean noCenter;

    @Override public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (top <= 0) throw new UsageException("--top must be positive, got " + top);
        if (idx == null && pictures.isEmpty()) throw new UsageException("predict: give IMAGE files or --idx FILE");
        if (idx != null && !pictures.isEmpty()) throw new UsageException("predict: give IMAGE files or --idx FILE, not both");
        TrainedModel tm = TrainedModel.load(run);
        if (idx != null) {
            print(out, idx + "[" + index + "]", Prediction.top(tm.model(), ImageInput.fromIdx(idx, index, tm.spec().inputShape()), top));
        }
        for (Path p : pictures) {
            Tensor x = ImageInput.fromImage(p, tm.spec().inputShape(), !noCenter);
            print(out, p.toString(), Prediction.top(tm.model(), x, top));
        }
        out.flush();
        return 0;
    }

    private static void print(PrintWriter out, String name, List<Prediction> ps) {
        StringBuilder sb = new StringBuilder(name);
        for (Prediction p : ps) sb.append(String.format(Locale.ROOT, "  %d %.4f", p.label(), p.probability()));
        out.println(sb);
    }
}
