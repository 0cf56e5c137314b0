package org.neurite.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.neurite.models.text.CharLmTraining;
import org.neurite.models.text.CharSampler;
import org.neurite.runtime.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code neurite generate}: samples text from a trained character language model. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Sample text from a trained character model (char-rnn, char-lstm, char-gru).",
        footer = {"", "Examples:",
                "  neurite generate --run runs/char-lstm",
                "  neurite generate --run runs/char-lstm --prime \"The \" --length 300 --temperature 0.5 --seed 7"})
public final class GenerateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--run", required = true, paramLabel = "RUN_DIR", description = "Run directory of a trained character model.")
    Path run;

    @Option(names = "--prime", defaultValue = "", description = "Text the model reads before sampling. Default: a newline.")
    String prime;

    @Option(names = "--length", defaultValue = "500", description = "Characters to sample. Default: ${DEFAULT-VALUE}.")
    int length;

    @Option(names = "--temperature", defaultValue = "0.8",
            description = "Softmax temperature; lower is more conservative, 0 always takes the likeliest. Default: ${DEFAULT-VALUE}.")
    double temperature;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Override public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (length < 0) throw new UsageException("--length must be >= 0, got " + length);
        if (!(temperature >= 0)) throw new UsageException("--temperature must be >= 0, got " + temperature);
        if (!Files.isDirectory(run)) throw new UsageException("--run: no such run directory: " + run);
        CharLmTraining.Loaded m = CharLmTraining.load(run);
        try {
            m.vocabulary().encode(prime);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--prime: " + e.getMessage());
        }
        out.print(CharSampler.sample(m.model(), m.vocabulary(), prime, length, temperature, new Rng(seed)));
        out.println();
        out.flush();
        return 0;
    }
}
