package org.neurite.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code neurite completion}: prints picocli's bash (and zsh) completion script for every command and option. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print a bash/zsh completion script for neurite.",
        footer = {"", "Examples:",
                "  source <(neurite completion)                     (this shell)",
                "  neurite completion > ~/.local/share/bash-completion/completions/neurite"})
public final class CompletionCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(AutoComplete.bash("neurite", spec.root().commandLine()));
        out.flush();
        return 0;
    }
}
