package org.neurite.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.neurite.layers.Module;
import org.neurite.models.zoo.ModelSummary;
import org.neurite.models.zoo.ModelZoo;
import org.neurite.runtime.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code neurite models [NAME]}: the list of models, or one model's layer-by-layer summary. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List the models, or print one model's summary (layers, output shapes, parameters).",
        footer = {"", "Examples:", "  neurite models", "  neurite models lenet5"})
public final class ModelsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "A model to summarise.")
    String name;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (name == null) {
            for (ModelZoo.Spec s : ModelZoo.all()) {
                Module m = s.build(new Rng(0));
                out.printf("%-22s %,12d parameters  %s%n", s.name(), m.parameterCount(), s.description());
            }
        } else {
            ModelZoo.Spec s = ModelZoo.get(name);
            out.println(s.name() + ": " + s.description());
            out.print(ModelSummary.of(s.build(new Rng(0)), s.inputShape()));
        }
        out.flush();
        return 0;
    }
}
