package org.neurite.models.run;

import java.nio.file.Files;
import java.nio.file.Path;
import org.neurite.layers.Module;
import org.neurite.models.checkpoint.Checkpoint;
import org.neurite.models.checkpoint.TrainingState;
import org.neurite.models.data.InputDataException;
import org.neurite.models.zoo.ModelZoo;
import org.neurite.runtime.Rng;

/**
 * The model of a run directory's latest checkpoint, rebuilt from the zoo by the name the
 * checkpoint records and loaded with its weights (hash checked): what evaluate, predict and
 * visualize work on.
 */
public record TrainedModel(Module model, ModelZoo.Spec spec, TrainingState state, Path checkpoint) {
    /** Loads {@code runDir}'s latest checkpoint; errors name the directory or file. */
    public static TrainedModel load(Path runDir) throws InputDataException {
        if (!Files.isDirectory(runDir)) throw new RunException("--run: no such run directory: " + runDir);
        Path checkpoint = Checkpoint.latest(runDir)
                .orElseThrow(() -> new RunException("--run: " + runDir + " holds no checkpoint (no 'latest' file)"));
        TrainingState state = Checkpoint.readState(checkpoint);
        ModelZoo.Spec spec = ModelZoo.get(state.modelName());
        Module model = spec.build(new Rng(0));
        Checkpoint.load(checkpoint, Checkpoint.tensorsOf(model), null);
        return new TrainedModel(model, spec, state, checkpoint);
    }
}
