package org.neurite.models.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.layers.Param;
import org.neurite.layers.optim.Optimizer;
import org.neurite.models.data.InputDataException;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

class CheckpointTest {
    @TempDir Path run;

    /** SGD with momentum, enough of an optimizer to have state: v = mu v + g; w -= lr v. */
    static final class Momentum implements Optimizer {
        final List<Param> params;
        final Map<String, Tensor> velocity = new LinkedHashMap<>();
        double lr = 0.1;
        long steps;

        Momentum(List<Param> params) {
            this.params = params;
            for (Param p : params) velocity.put(p.name() + ".momentum", Tensor.zeros(p.value().shape()));
        }

        @Override public void step() {
            for (Param p : params) {
                float[] v = velocity.get(p.name() + ".momentum").data(), w = p.value().data(), g = p.grad().data();
                for (int i = 0; i < w.length; i++) {
                    v[i] = 0.9f * v[i] + g[i];
                    w[i] -= (float) lr * v[i];
                }
            }
            steps++;
        }

        @Override public double learningRate() { return lr; }

        @Override public void setLearningRate(double lr) { this.lr = lr; }

        @Override public long steps() { return steps; }

        @Override public Map<String, Tensor> state() { return velocity; }

        @Override public void loadState(Map<String, Tensor> state, long steps) {
            for (Map.Entry<String, Tensor> e : state.entrySet()) velocity.get(e.getKey()).copyFrom(e.getValue());
            this.steps = steps;
        }
    }

    private static List<Param> model(long seed) {
        Rng rng = new Rng(seed);
        Tensor w = Tensor.zeros(3, 2), b = Tensor.zeros(3);
        rng.normal(w.data(), 0, 6, 0, 1);
        rng.normal(b.data(), 0, 3, 0, 1);
        return List.of(Param.of("fc.weight", w), Param.of("fc.bias", b));
    }

    private static void train(List<Param> params, Optimizer opt, Rng rng, int steps) {
        for (int s = 0; s < steps; s++) {
            for (Param p : params) rng.uniform(p.grad().data(), 0, p.grad().size(), -1, 1);
            opt.step();
        }
    }

    private static TrainingState state(int epoch, long step, Rng rng) {
        return new TrainingState("tiny", "momentum", epoch, 0, step, rng.saveState(), Map.of("batch", "32", "lr", "0.1"));
    }

    /** Save mid-run, keep going; a fresh model resumed from the checkpoint must end bit for bit the same. */
    @Test void roundTripResumesExactly() throws Exception {
        List<Param> a = model(1);
        Momentum optA = new Momentum(a);
        Rng rngA = new Rng(77);
        train(a, optA, rngA, 5);
        optA.setLearningRate(0.05);
        Path dir = Checkpoint.save(run, a, optA, state(2, 5, rngA));
        train(a, optA, rngA, 4);

        List<Param> b = model(2); // different initial weights, zero momentum
        Momentum optB = new Momentum(b);
        Rng rngB = new Rng(0);
        assertEquals(dir, Checkpoint.latest(run).orElseThrow());
        TrainingState s = Checkpoint.load(dir, b, optB);
        rngB.restoreState(s.rngState());
        assertEquals(5, optB.steps());
        assertEquals(0.05, optB.learningRate());
        assertEquals(2, s.epoch());
        assertEquals(5, s.globalStep());
        assertEquals("tiny", s.modelName());
        assertEquals("momentum", s.optimizerName());
        assertEquals(Map.of("batch", "32", "lr", "0.1"), s.config());
        train(b, optB, rngB, 4);

        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i).value().data(), b.get(i).value().data(), a.get(i).name());
        assertArrayEquals(optA.velocity.get("fc.weight.momentum").data(), optB.velocity.get("fc.weight.momentum").data());
        assertEquals(optA.steps(), optB.steps());
    }

    @Test void layoutAndStateJson() throws Exception {
        List<Param> p = model(1);
        Rng rng = new Rng(3);
        Path dir = Checkpoint.save(run, p, new Momentum(p), state(3, 1875, rng));
        assertEquals(run.resolve("checkpoints/epoch-0003-step-000001875"), dir);
        assertEquals("checkpoints/epoch-0003-step-000001875\n", Files.readString(run.resolve("latest")));
        JsonNode json = new ObjectMapper().readTree(dir.resolve("state.json").toFile());
        assertEquals(1, json.get("format").intValue());
        assertEquals("model.safetensors", json.get("weightsFile").textValue());
        assertEquals(Checkpoint.sha256Of(dir.resolve("model.safetensors")), json.get("weightsSha256").textValue());
        assertArrayEquals(rng.saveState(), Base64.getDecoder().decode(json.get("rngState").textValue()));
        assertEquals(1875, json.get("globalStep").longValue());
        SafeTensors.Contents weights = SafeTensors.read(dir.resolve("model.safetensors"));
        assertEquals("pt", weights.metadata().get("format"));
        assertArrayEquals(p.get(0).value().data(), weights.tensors().get("fc.weight").data());
        assertEquals(List.of("fc.bias.momentum", "fc.weight.momentum"),
                List.copyOf(SafeTensors.read(dir.resolve("optimizer.safetensors")).tensors().keySet()));
    }

    @Test void mismatchedModelIsListedAndLeftUntouched() throws Exception {
        List<Param> saved = model(1);
        Path dir = Checkpoint.save(run, saved, null, state(1, 10, new Rng(1)));
        List<Param> other = List.of(Param.of("fc.weight", Tensor.zeros(2, 3)), Param.of("fc2.bias", Tensor.zeros(3)));
        other.get(0).value().fill(7f);
        InputDataException e = assertThrows(InputDataException.class, () -> Checkpoint.load(dir, other, null));
        assertEquals(dir.resolve("model.safetensors") + ": does not match the model: missing fc2.bias; unexpected fc.bias;"
                + " shape mismatch fc.weight [3, 2] in file, [2, 3] in model", e.getMessage());
        assertEquals(7f, other.get(0).value().get(0), "a failed load changes nothing");

        List<Param> same = model(9);
        assertThrows(InputDataException.class, () -> Checkpoint.load(dir, same, new Momentum(same)), "no optimizer state was saved");
        Checkpoint.loadWeights(dir.resolve("model.safetensors"), same);
        assertArrayEquals(saved.get(1).value().data(), same.get(1).value().data());
    }

    @Test void replacedWeightsFailTheHashCheck() throws Exception {
        List<Param> p = model(1);
        Path dir = Checkpoint.save(run, p, null, state(1, 10, new Rng(1)));
        p.get(1).value().set(0, 123f);
        SafeTensors.write(dir.resolve("model.safetensors"), Map.of("fc.weight", p.get(0).value(), "fc.bias", p.get(1).value()), Map.of());
        InputDataException e = assertThrows(InputDataException.class, () -> Checkpoint.load(dir, model(1), null));
        assertTrue(e.getMessage().contains("SHA-256") && e.getMessage().contains("state.json"), e.getMessage());
    }

    @Test void latestPointerAndPrune() throws Exception {
        assertTrue(Checkpoint.latest(run).isEmpty());
        List<Param> p = model(1);
        for (int epoch = 1; epoch <= 4; epoch++) Checkpoint.save(run, p, null, state(epoch, epoch * 100L, new Rng(1)));
        List<Path> deleted = Checkpoint.prune(run, 2);
        assertEquals(List.of(run.resolve("checkpoints/epoch-0001-step-000000100"), run.resolve("checkpoints/epoch-0002-step-000000200")), deleted);
        assertFalse(Files.exists(deleted.get(0)));
        assertEquals(run.resolve("checkpoints/epoch-0004-step-000000400"), Checkpoint.latest(run).orElseThrow());
        assertEquals(3, Checkpoint.readState(Checkpoint.latest(run).get().resolveSibling("epoch-0003-step-000000300")).epoch());

        Files.writeString(run.resolve("latest"), "checkpoints/gone\n");
        InputDataException e = assertThrows(InputDataException.class, () -> Checkpoint.latest(run));
        assertTrue(e.getMessage().contains("checkpoints/gone"), e.getMessage());
    }

    @Test void weightsOnlyExportRoundTrip() throws Exception {
        List<Param> p = model(4);
        Path f = run.resolve("export/lenet.safetensors");
        Checkpoint.saveWeights(f, p, Map.of("format", "pt"));
        List<Param> q = model(5);
        Checkpoint.loadWeights(f, q);
        assertEquals(Shape.of(3, 2), q.get(0).value().shape());
        assertArrayEquals(p.get(0).value().data(), q.get(0).value().data());
    }
}
