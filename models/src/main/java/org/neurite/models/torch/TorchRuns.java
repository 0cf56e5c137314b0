package org.neurite.models.torch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.layers.Module;
import org.neurite.layers.norm.Buffers;
import org.neurite.models.checkpoint.Checkpoint;
import org.neurite.models.checkpoint.SafeTensors;
import org.neurite.models.checkpoint.TrainingState;
import org.neurite.models.data.InputDataException;
import org.neurite.models.zoo.ModelZoo;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * PyTorch state_dicts in and out of Neurite run directories.
 *
 * <p>Import builds the zoo model, loads the state_dict ({@link TorchStateDict}) and writes a run
 * directory with one checkpoint ({@code epoch-0000-step-000000000}, no optimizer state) that
 * {@code neurite evaluate} loads; like every checkpoint it holds the parameters and the batch-norm
 * running statistics ({@link Checkpoint#tensorsOf}).
 * <pre>{@code
 * TorchRuns.importRun(Path.of("lenet5.safetensors"), "lenet5", Path.of("runs/from-torch"));
 * TorchRuns.Exported e = TorchRuns.exportRun(Path.of("runs/lenet5"), Path.of("lenet5.safetensors"));
 * }</pre>
 */
public final class TorchRuns {
    /** What an export wrote: model, tensors, counters and any warnings for the user. */
    public record Exported(String model, int tensors, int counters, List<String> warnings) { }

    private TorchRuns() { }

    /**
     * Imports {@code stateFile} into a new run directory {@code runDir} for zoo model {@code modelName};
     * returns the checkpoint directory. Refuses a directory that already holds a run.
     */
    public static Path importRun(Path stateFile, String modelName, Path runDir) throws IOException, InputDataException {
        Module model = ModelZoo.get(modelName).build(new Rng(0));
        TorchSafeTensors.Contents sd = TorchSafeTensors.read(stateFile);
        TorchStateDict.load(model, sd, stateFile.toString(), TorchModels.ignoredPrefixes(modelName));
        if (Files.exists(runDir.resolve(Checkpoint.LATEST))) {
            throw new IllegalArgumentException(runDir + " already holds a run (it has '" + Checkpoint.LATEST + "'); choose a new --out");
        }
        Map<String, String> config = new LinkedHashMap<>();
        config.put("imported_from", stateFile.toAbsolutePath().toString());
        TrainingState state = new TrainingState(modelName, "none", 0, 0, 0, null, config);
        return Checkpoint.save(runDir, Checkpoint.tensorsOf(model), null, state); // weights and batch-norm statistics
    }

    /** Loads a run's latest checkpoint (weights and batch-norm statistics) into its zoo model. */
    public static Module loadRun(Path runDir, List<String> warnings) throws InputDataException {
        Path ckpt = Checkpoint.latest(runDir).orElseThrow(() -> InputDataException.in(runDir.toString(), "holds no checkpoint (no 'latest' file)"));
        TrainingState state = Checkpoint.readState(ckpt);
        if (state.modelName() == null) throw InputDataException.in(ckpt.resolve(Checkpoint.STATE).toString(), "names no model");
        Module model = ModelZoo.get(state.modelName()).build(new Rng(0));
        Checkpoint.loadWeights(ckpt.resolve(Checkpoint.WEIGHTS), Checkpoint.tensorsOf(model));
        return model;
    }

    /**
     * Writes the latest checkpoint of {@code runDir} as a PyTorch state_dict to {@code out}:
     * F32 parameters and buffers under PyTorch's names, and each batch norm's
     * {@code num_batches_tracked} as an I64 scalar holding the run's optimizer steps.
     */
    public static Exported exportRun(Path runDir, Path out) throws IOException, InputDataException {
        List<String> warnings = new ArrayList<>();
        Module model = loadRun(runDir, warnings);
        TrainingState state = Checkpoint.readState(Checkpoint.latest(runDir).orElseThrow());
        Map<String, Tensor> floats = TorchStateDict.floats(model);
        Map<String, TorchSafeTensors.IntTensor> counters = new LinkedHashMap<>();
        for (String c : TorchStateDict.counters(model)) counters.put(c, new TorchSafeTensors.IntTensor(Shape.of(), new long[] {state.globalStep()}));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("model", state.modelName());
        TorchSafeTensors.write(out, floats, counters, meta);
        return new Exported(state.modelName(), floats.size(), counters.size(), warnings);
    }
}
