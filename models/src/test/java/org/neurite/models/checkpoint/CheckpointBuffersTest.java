package org.neurite.models.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.layers.norm.Buffers;
import org.neurite.models.zoo.ModelZoo;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/** Batch norm's running statistics travel with the weights, so evaluation after a reload is the same. */
class CheckpointBuffersTest {
    @TempDir Path tmp;

    @Test void runningStatisticsSurviveSaveAndLoad() throws Exception {
        Module trained = ModelZoo.get("resnet20").build(new Rng(1));
        Tensor x = Tensor.zeros(Shape.of(4, 3, 32, 32));
        new Rng(2).uniform(x.data(), 0, x.size(), -1, 1);
        trained.forward(x, Mode.TRAIN); // moves the running statistics away from (0, 1)
        Map<String, Tensor> stats = Buffers.of(trained);
        assertTrue(stats.containsKey("bn1.running_mean"), stats.keySet().toString());

        Path dir = Checkpoint.save(tmp, Checkpoint.tensorsOf(trained), null,
                new TrainingState("resnet20", "sgd", 1, 0, 1, new byte[0], Map.of()));
        Module fresh = ModelZoo.get("resnet20").build(new Rng(9));
        Checkpoint.load(dir, Checkpoint.tensorsOf(fresh), null);

        Map<String, Tensor> loaded = Buffers.of(fresh);
        for (Map.Entry<String, Tensor> e : stats.entrySet()) {
            assertArrayEquals(e.getValue().data(), loaded.get(e.getKey()).data(), e.getKey());
        }
        float[] a = trained.forward(x, Mode.EVAL).data().clone();
        float[] b = fresh.forward(x, Mode.EVAL).data();
        assertArrayEquals(a, b, "evaluation output after reload");
    }
}
