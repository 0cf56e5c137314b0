package org.neurite.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.neurite.models.torch.TorchRuns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code neurite export-torch}: a run's latest checkpoint becomes a PyTorch state_dict (safetensors). */
@Command(name = "export-torch", mixinStandardHelpOptions = true,
        description = {"Export a run's latest checkpoint as a PyTorch state_dict in safetensors format, for model.load_state_dict.",
                "Floats are F32; every batch norm's num_batches_tracked is written as I64 so strict loading succeeds."},
        footer = {"", "Examples:",
                "  neurite export-torch --run runs/lenet5 --out lenet5.safetensors",
                "  python3 -c \"from safetensors.torch import load_file; model.load_state_dict(load_file('lenet5.safetensors'))\""})
public final class ExportTorchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--run", required = true, paramLabel = "RUN_DIR", description = "Run directory written by `neurite train` or `import-torch`.")
    Path run;

    @Option(names = "--out", required = true, paramLabel = "FILE.safetensors", description = "File to write (replaced atomically).")
    Path out;

    @Override public Integer call() throws Exception {
        PrintWriter pw = spec.commandLine().getOut();
        if (!Files.isDirectory(run)) throw new UsageException("--run: no such run directory: " + run);
        TorchRuns.Exported e = TorchRuns.exportRun(run, out);
        for (String w : e.warnings()) spec.commandLine().getErr().println("neurite: warning: " + w);
        pw.printf("exported %s (%d tensors, %d batch-norm counters) to %s%n", e.model(), e.tensors(), e.counters(), out);
        pw.flush();
        return 0;
    }
}
