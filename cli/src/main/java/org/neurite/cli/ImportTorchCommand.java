package org.neurite.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.neurite.models.torch.TorchModels;
import org.neurite.models.torch.TorchRuns;
import org.neurite.models.zoo.ModelZoo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code neurite import-torch}: a PyTorch state_dict (safetensors) becomes a Neurite run directory. */
@Command(name = "import-torch", mixinStandardHelpOptions = true,
        description = {"Import a PyTorch state_dict saved as safetensors into a new run directory that `neurite evaluate` loads.",
                "Keys are PyTorch's (model.state_dict()); num_batches_tracked is accepted and ignored.",
                "Unknown, missing or mismatched keys are listed and nothing is written."},
        footer = {"", "Examples:",
                "  python3 -c \"from safetensors.torch import save_file; save_file(model.state_dict(), 'lenet5.safetensors')\"",
                "  neurite import-torch lenet5.safetensors --model lenet5 --out runs/from-torch",
                "  neurite evaluate --run runs/from-torch",
                "  neurite import-torch resnet18.safetensors --model resnet18 --out runs/resnet18   (torchvision's resnet18)"})
public final class ImportTorchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "STATE.safetensors", description = "The state_dict, e.g. from safetensors.torch.save_file.")
    Path state;

    @Option(names = "--model", required = true, description = "Zoo model the state_dict is for (see `neurite models`).")
    String model;

    @Option(names = "--out", required = true, paramLabel = "RUN_DIR", description = "New run directory to write.")
    Path out;

    @Override public Integer call() throws Exception {
        PrintWriter pw = spec.commandLine().getOut();
        if (!Files.isRegularFile(state)) throw new UsageException("STATE.safetensors: no such file: " + state);
        ModelZoo.get(model); // an unknown name fails here, listing the known ones
        Path checkpoint = TorchRuns.importRun(state, model, out);
        TorchModels.Twin twin = TorchModels.twin(model);
        pw.printf("imported %s as %s into %s%n", state, model, checkpoint);
        if (twin != null && !twin.note().isEmpty()) pw.printf("note: %s%n", twin.note());
        pw.flush();
        return 0;
    }
}
