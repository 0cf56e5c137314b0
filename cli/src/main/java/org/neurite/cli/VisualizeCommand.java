package org.neurite.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.neurite.layers.Param;
import org.neurite.models.report.FilterGrid;
import org.neurite.models.run.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code neurite visualize}: pictures of what a trained run learned. */
@Command(name = "visualize", mixinStandardHelpOptions = true,
        description = "Draw what a trained run learned.",
        subcommands = VisualizeCommand.Filters.class,
        footer = {"", "Examples:", "  neurite visualize filters --run runs/a",
                "  neurite visualize filters --run runs/a --out conv1.png"})
public final class VisualizeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override public Integer call() {
        throw new UsageException("visualize: name what to draw (filters); see neurite visualize --help");
    }

    /** {@code neurite visualize filters}: the first convolution's filters as an image grid. */
    @Command(name = "filters", mixinStandardHelpOptions = true,
            description = "Draw the first convolution layer's filters as a grid of tiles (PNG).",
            footer = {"", "Examples:", "  neurite visualize filters --run runs/a          (writes runs/a/filters.png)",
                    "  neurite visualize filters --run runs/a --out conv1.png"})
    static final class Filters implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--run", required = true, paramLabel = "RUN_DIR", description = "Run directory written by `neurite train`.")
        Path run;

        @Option(names = "--out", paramLabel = "FILE.png", description = "Where to write the picture. Default: RUN_DIR/filters.png.")
        Path out;

        @Override public Integer call() throws Exception {
            TrainedModel tm = TrainedModel.load(run);
            Param first = tm.model().params().stream().filter(p -> p.value().shape().rank() == 4).findFirst()
                    .orElseThrow(() -> new UsageException("visualize filters: model " + tm.state().modelName() + " has no convolution"));
            Path file = out != null ? out : run.resolve("filters.png");
            FilterGrid.write(file, first.value(), first.name() + " of " + tm.state().modelName() + ", epoch " + tm.state().epoch()
                    + " (" + run.getFileName() + ")");
            PrintWriter w = spec.commandLine().getOut();
            w.println("filters of " + first.name() + " " + first.value().shape() + ": " + file);
            w.flush();
            return 0;
        }
    }
}
