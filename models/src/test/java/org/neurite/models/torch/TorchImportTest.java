package org.neurite.models.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.layers.Sequential;
import org.neurite.layers.activation.Activation;
import org.neurite.layers.conv.Conv2d;
import org.neurite.layers.dense.Dense;
import org.neurite.layers.golden.Golden;
import org.neurite.layers.norm.BatchNorm2d;
import org.neurite.layers.rnn.CellType;
import org.neurite.layers.shape.Flatten;
import org.neurite.models.checkpoint.SafeTensors;
import org.neurite.models.zoo.CharLm;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;

/**
 * State_dicts written by PyTorch ({@code src-test-data/golden/torch/}, make_golden.py) load into
 * the Neurite twins, which then compute PyTorch's outputs: a small CNN with batch norm trained two
 * steps (running statistics and an I64 {@code num_batches_tracked} = 2 in the file; evaluation
 * mode) and two-layer character LMs whose nn.LSTM / nn.GRU weights land in the flat cuDNN buffer.
 */
class TorchImportTest {
    private static final Path DIR = Golden.directory().resolve("torch");

    @Test void smallCnnWithBatchNormComputesPyTorchsOutput() throws Exception {
        Rng rng = new Rng(1);
        Sequential cnn = new Sequential()
                .add("0", new Conv2d(Conv2d.config(1, 3, 3).build(), rng))
                .add("1", new BatchNorm2d(3))
                .add("2", Activation.relu())
                .add("3", new Flatten())
                .add("4", new Dense(48, 5, rng));
        TorchSafeTensors.Contents sd = TorchSafeTensors.read(DIR.resolve("tiny_cnn.safetensors"));
        assertEquals(2L, sd.integers().get("1.num_batches_tracked").values()[0], "PyTorch's counter after two steps, read as I64");
        TorchStateDict.load(cnn, sd, "tiny_cnn", java.util.List.of());
        assertEquals(sd.floats().get("1.running_var").get(2), ((BatchNorm2d) cnn.get("1")).runningVar().get(2));
        checkOutput(cnn, "tiny_cnn_io.safetensors");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lstm", "gru"})
    void characterModelComputesPyTorchsOutput(String cell) throws Exception {
        Sequential lm = CharLm.build(cell.equals("lstm") ? CellType.LSTM : CellType.GRU, 7, 6, 2, new Rng(1));
        TorchStateDict.load(lm, TorchSafeTensors.read(DIR.resolve("char_" + cell + "_small.safetensors")), cell, java.util.List.of());
        checkOutput(lm, "char_" + cell + "_small_io.safetensors");
    }

    private static void checkOutput(Module model, String io) throws Exception {
        SafeTensors.Contents c = SafeTensors.read(DIR.resolve(io));
        Tensor y = model.forward(c.tensors().get("x"), Mode.EVAL);
        Golden.assertForward(io + " y", c.tensors().get("y"), y);
    }
}
