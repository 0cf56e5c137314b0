package org.neurite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command has --help with examples that fit an 80-column terminal; time and completion run. */
class HelpTest {
    private static void collect(CommandLine cl, List<List<String>> paths, List<String> prefix) {
        for (var e : cl.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) continue;
            List<String> p = new ArrayList<>(prefix);
            p.add(e.getKey());
            paths.add(p);
            collect(e.getValue(), paths, p);
        }
    }

    @Test void everyCommandHasHelpWithExamplesWithin80Columns() {
        List<List<String>> paths = new ArrayList<>();
        collect(new CommandLine(new Neurite()), paths, List.of());
        assertTrue(paths.size() >= 10, "commands: " + paths);
        paths.add(List.of());
        for (List<String> p : paths) {
            List<String> args = new ArrayList<>(p);
            args.add("--help");
            CliErrorsTest.Run r = CliErrorsTest.neurite(args.toArray(String[]::new));
            assertEquals(0, r.code(), p + ": " + r.err());
            assertTrue(r.out().contains("Examples:"), p + " --help has no examples:\n" + r.out());
            r.out().lines().forEach(line -> assertTrue(line.length() <= 80, p + " --help line of " + line.length() + " columns: " + line));
        }
    }

    @Test void timePrintsEveryLayerAndATotal() {
        CliErrorsTest.Run r = TrainRunTest.ok("time", "--model", "lenet5", "--batch", "8", "--iterations", "2", "--warmup", "1",
                "--device", "cpu");
        for (String layer : new String[] {"conv1", "pool2", "fc3", "loss", "total"}) {
            assertTrue(r.out().matches("(?s).*(?m)^" + layer + " .*\\d+\\.\\d{3} +\\d+\\.\\d{3}$.*"), layer + " missing:\n" + r.out());
        }
        assertTrue(r.out().contains("[8,6,28,28]"), r.out());
    }

    @Test void completionScriptCoversCommandsAndOptions() {
        CliErrorsTest.Run r = TrainRunTest.ok("completion");
        assertTrue(r.out().contains("complete -F _complete_neurite"), "not a bash completion script");
        for (String word : new String[] {"train", "evaluate", "predict", "--early-stop-patience", "--resume", "filters"}) {
            assertTrue(r.out().contains(word), "completion lacks " + word);
        }
    }
}
