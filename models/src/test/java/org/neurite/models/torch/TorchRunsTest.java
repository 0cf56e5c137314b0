package org.neurite.models.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.layers.Module;
import org.neurite.layers.Param;
import org.neurite.layers.norm.Buffers;
import org.neurite.models.checkpoint.Checkpoint;
import org.neurite.models.checkpoint.SafeTensors;
import org.neurite.models.checkpoint.TrainingState;
import org.neurite.models.data.InputDataException;
import org.neurite.models.zoo.ModelZoo;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/** Import into a run directory and export back: bit-exact round trips, counters, and one-line key errors. */
class TorchRunsTest {
    @TempDir Path tmp;

    /** A state_dict of random values for zoo model {@code name}, as PyTorch would save it (counters I64). */
    private Path randomStateDict(String name, Path file, Map<String, Tensor> floats) throws Exception {
        Module m = ModelZoo.get(name).build(new Rng(42));
        Rng rng = new Rng(9);
        for (Tensor b : Buffers.of(m).values()) rng.uniform(b.data(), 0, b.size(), 0.5f, 1.5f);
        floats.putAll(TorchStateDict.floats(m));
        Map<String, TorchSafeTensors.IntTensor> counters = new LinkedHashMap<>();
        for (String c : TorchStateDict.counters(m)) counters.put(c, new TorchSafeTensors.IntTensor(Shape.of(), new long[] {123}));
        TorchSafeTensors.write(file, floats, counters, Map.of("format", "pt"));
        return file;
    }

    @Test void resnetWithBatchNormRoundTripsBitForBit() throws Exception {
        Map<String, Tensor> original = new LinkedHashMap<>();
        Path in = randomStateDict("resnet20", tmp.resolve("in.safetensors"), original);
        Path ckpt = TorchRuns.importRun(in, "resnet20", tmp.resolve("run"));
        assertTrue(SafeTensors.read(ckpt.resolve(Checkpoint.WEIGHTS)).tensors().containsKey("bn1.running_var"),
                "running statistics in the checkpoint's weights");
        assertEquals("resnet20", Checkpoint.readState(ckpt).modelName());

        Path out = tmp.resolve("out.safetensors");
        TorchRuns.Exported e = TorchRuns.exportRun(tmp.resolve("run"), out);
        assertEquals(List.of(), e.warnings());
        TorchSafeTensors.Contents back = TorchSafeTensors.read(out);
        assertEquals(original.keySet(), back.floats().keySet());
        for (String k : original.keySet()) assertArrayEquals(original.get(k).data(), back.floats().get(k).data(), k);
        assertEquals(1 + 9 * 2 + 2, back.integers().size(), "one num_batches_tracked per batch norm of ResNet-20: stem, 9 blocks, 2 projections");
        assertEquals(0L, back.integers().get("layer2.0.downsample.1.num_batches_tracked").values()[0], "the run's steps (0)");
        assertEquals(0, back.integers().get("bn1.num_batches_tracked").shape().rank(), "a scalar, as PyTorch's");
    }

    @Test void characterLstmRoundTripsThroughTheFlatBuffer() throws Exception {
        Map<String, Tensor> original = new LinkedHashMap<>();
        Path in = randomStateDict("char-lstm", tmp.resolve("lstm.safetensors"), original);
        assertEquals(List.of("head.bias", "head.weight", "rnn.bias_hh_l0", "rnn.bias_ih_l0", "rnn.weight_hh_l0", "rnn.weight_ih_l0"),
                original.keySet().stream().sorted().toList());
        TorchRuns.importRun(in, "char-lstm", tmp.resolve("run"));
        TorchRuns.exportRun(tmp.resolve("run"), tmp.resolve("out.safetensors"));
        TorchSafeTensors.Contents back = TorchSafeTensors.read(tmp.resolve("out.safetensors"));
        for (String k : original.keySet()) assertArrayEquals(original.get(k).data(), back.floats().get(k).data(), k);
    }

    @Test void aTrainedRunExportsItsRunningStatistics() throws Exception {
        Module m = ModelZoo.get("resnet20").build(new Rng(1));
        Tensor var = Buffers.of(m).get("layer2.0.bn1.running_var");
        new Rng(3).uniform(var.data(), 0, var.size(), 0.5f, 1.5f); // as training would have moved it
        Checkpoint.save(tmp.resolve("run"), Checkpoint.tensorsOf(m), null, new TrainingState("resnet20", "sgd", 1, 0, 7, null, Map.of()));
        TorchRuns.Exported e = TorchRuns.exportRun(tmp.resolve("run"), tmp.resolve("out.safetensors"));
        assertEquals(List.of(), e.warnings());
        TorchSafeTensors.Contents back = TorchSafeTensors.read(tmp.resolve("out.safetensors"));
        assertArrayEquals(var.data(), back.floats().get("layer2.0.bn1.running_var").data());
        assertEquals(7L, back.integers().get("bn1.num_batches_tracked").values()[0]);
    }

    @Test void keyProblemsAreListedOnOneLineAndNothingIsWritten() throws Exception {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        randomStateDict("lenet5", tmp.resolve("ok.safetensors"), sd);
        sd.remove("fc2.bias");
        sd.put("fc4.weight", Tensor.zeros(3, 3));
        sd.put("conv1.weight", Tensor.zeros(6, 1, 3, 3));
        sd.remove("conv2.weight");
        Path bad = tmp.resolve("bad.safetensors");
        TorchSafeTensors.write(bad, sd, Map.of("conv2.weight", new TorchSafeTensors.IntTensor(Shape.of(1), new long[] {1})), Map.of());
        InputDataException e = assertThrows(InputDataException.class, () -> TorchRuns.importRun(bad, "lenet5", tmp.resolve("run")));
        String m = e.getMessage();
        assertTrue(m.startsWith(bad + ": state_dict does not match the model:"), m);
        assertTrue(m.contains("missing (1): fc2.bias"), m);
        assertTrue(m.contains("unexpected (1): fc4.weight"), m);
        assertTrue(m.contains("conv1.weight [6, 1, 3, 3] in file, [6, 1, 5, 5] in model"), m);
        assertTrue(m.contains("conv2.weight is an integer tensor"), m);
        assertTrue(!m.contains("\n"), m);
        assertTrue(!Files.exists(tmp.resolve("run")), "nothing written");
    }

    @Test void unsupportedDtypeAndExistingRunAreRefused() throws Exception {
        Path file = tmp.resolve("f8.safetensors");
        byte[] header = "{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}".getBytes();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + header.length + 1).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header).put((byte) 0);
        Files.write(file, b.array());
        InputDataException e = assertThrows(InputDataException.class, () -> TorchSafeTensors.read(file));
        assertTrue(e.getMessage().contains("dtype 'F8_E4M3' is not supported"), e.getMessage());

        Path ok = randomStateDict("lenet5", tmp.resolve("ok.safetensors"), new LinkedHashMap<>());
        TorchRuns.importRun(ok, "lenet5", tmp.resolve("run"));
        IllegalArgumentException again = assertThrows(IllegalArgumentException.class, () -> TorchRuns.importRun(ok, "lenet5", tmp.resolve("run")));
        assertTrue(again.getMessage().contains("already holds a run"), again.getMessage());
    }

    @Test void importedWeightsAreWhatCheckpointLoadSees() throws Exception {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        Path in = randomStateDict("lenet5", tmp.resolve("in.safetensors"), sd);
        Path ckpt = TorchRuns.importRun(in, "lenet5", tmp.resolve("run"));
        Module m = ModelZoo.get("lenet5").build(new Rng(3));
        Checkpoint.loadWeights(ckpt.resolve(Checkpoint.WEIGHTS), m.params());
        List<String> names = new ArrayList<>();
        for (Param p : m.params()) {
            assertArrayEquals(sd.get(p.name()).data(), p.value().data(), p.name());
            names.add(p.name());
        }
        assertEquals(10, names.size());
    }
}
