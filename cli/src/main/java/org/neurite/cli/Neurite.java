package org.neurite.cli;

import java.io.PrintWriter;
import org.neurite.models.data.InputDataException;
import org.neurite.models.train.TrainingDivergedException;
import org.neurite.runtime.DeviceException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code neurite} command. Exit codes: 0 success, 1 training diverged, 2 bad usage or input,
 * 3 device error. Errors are one line on stderr; {@code NEURITE_DEBUG=1} adds the stack trace.
 */
@Command(name = "neurite",
        mixinStandardHelpOptions = true,
        versionProvider = Neurite.Version.class,
        description = "Trains convolutional and recurrent networks on the CPU or NVIDIA GPUs.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, GenerateCommand.class,
                ImportTorchCommand.class, ExportTorchCommand.class,
                TimeCommand.class, VisualizeCommand.class, BenchCommand.class,
                ModelsCommand.class, DevicesCommand.class, SelftestCommand.class, CompletionCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Examples:",
                "  neurite train --model lenet5 --epochs 5 --out runs/a",
                "  neurite evaluate --run runs/a",
                "  neurite predict --run runs/a digit.png",
                "  neurite time --model lenet5",
                "  neurite bench W1",
                "",
                "Exit codes: 0 success, 1 training diverged (NaN/Inf), 2 bad usage or input,",
                "3 device error. NEURITE_DEBUG=1 adds stack traces to errors."})
public final class Neurite {
    public static final int EXIT_DIVERGED = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_DEVICE = 3;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams; returns the exit code (tests call this). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cmd = new CommandLine(new Neurite());
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setParameterExceptionHandler((ex, argv) -> {
            err.println("neurite: " + ex.getMessage());
            return EXIT_USAGE;
        });
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            err.println("neurite: " + oneLine(ex));
            if (System.getenv("NEURITE_DEBUG") != null) ex.printStackTrace(err);
            err.flush();
            return exitCodeOf(ex);
        });
        return cmd.execute(args);
    }

    static int exitCodeOf(Throwable ex) {
        if (ex instanceof TrainingDivergedException) return EXIT_DIVERGED;
        if (ex instanceof DeviceException) return EXIT_DEVICE;
        if (ex instanceof UsageException) return EXIT_USAGE;
        if (ex instanceof IllegalArgumentException) return EXIT_USAGE;
        if (ex instanceof java.io.IOException) return EXIT_USAGE;
        if (ex instanceof InputDataException) return EXIT_USAGE;
        if (ex instanceof org.neurite.models.run.RunException) return EXIT_USAGE;
        return 70; // an internal error: a bug in Neurite
    }

    private static String oneLine(Throwable ex) {
        String m = ex.getMessage();
        if (ex instanceof java.nio.file.NoSuchFileException) m = "no such file: " + m;
        else if (ex instanceof java.nio.file.AccessDeniedException) m = "permission denied: " + m;
        else if (m == null || m.isBlank()) m = ex.getClass().getSimpleName();
        else if (exitCodeOf(ex) == 70) m = "internal error (" + ex.getClass().getSimpleName() + "): " + m;
        return m.replace('\n', ' ');
    }

    /** Version from the jar manifest, with the JDK that runs it. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() {
            String v = Neurite.class.getPackage().getImplementationVersion();
            return new String[] {"neurite " + (v == null ? "dev" : v) + " on Java " + Runtime.version()};
        }
    }
}
