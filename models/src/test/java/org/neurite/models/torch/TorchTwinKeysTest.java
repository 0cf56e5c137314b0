package org.neurite.models.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.neurite.layers.Module;
import org.neurite.layers.golden.Golden;
import org.neurite.models.data.InputDataException;
import org.neurite.models.zoo.ModelZoo;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * The state_dict of each zoo model equals, key for key, shape for shape and integer-or-float, the
 * state_dict of its PyTorch twin: torchvision 0.14's resnet18/34/50, vgg11/16, densenet121 and
 * googlenet, and the LeNet-5 and character LMs defined in make_golden.py
 * ({@code src-test-data/golden/torch/state_dicts.txt}, written by PyTorch). Then a state_dict with
 * exactly those keys loads (googlenet's auxiliary heads skipped), and torchvision's alexnet, which is
 * not the zoo's, is refused with its keys listed.
 */
class TorchTwinKeysTest {
    /** PyTorch model -> key -> "dtype shape". */
    private static final Map<String, Map<String, String>> TWINS = new LinkedHashMap<>();

    @BeforeAll static void readLists() throws IOException {
        for (String line : Files.readAllLines(Golden.directory().resolve("torch/state_dicts.txt"))) {
            if (line.startsWith("#")) continue;
            String[] f = line.split("\t", -1);
            TWINS.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], f[2] + " [" + f[3] + "]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lenet5", "resnet18", "resnet34", "resnet50", "vgg11", "vgg16", "densenet121", "googlenet",
            "char-rnn", "char-lstm", "char-gru"})
    void stateDictEqualsThePyTorchTwins(String name) throws InputDataException {
        Module model = ModelZoo.get(name).build(new Rng(0));
        Map<String, String> ours = new TreeMap<>();
        for (TorchStateDict.Entry e : TorchStateDict.entries(model)) {
            String dtype = e.kind() == TorchStateDict.Kind.COUNTER ? "int64" : "float32";
            String shape = String.join(",", java.util.Arrays.stream(e.shape().dims()).mapToObj(Integer::toString).toList());
            ours.put(e.name(), dtype + " [" + shape + "]");
        }
        assertEquals(new TreeMap<>(TWINS.get(name)), ours, name + ": keys, dtypes and shapes");
        if (!name.startsWith("vgg")) loadZeros(model, TWINS.get(name.equals("googlenet") ? "googlenet+aux" : name), name);
    }

    @Test void googlenetAuxiliaryHeadsAreTheOnlyExtraKeys() {
        List<String> extra = new ArrayList<>(TWINS.get("googlenet+aux").keySet());
        extra.removeAll(TWINS.get("googlenet").keySet());
        assertTrue(!extra.isEmpty() && extra.stream().allMatch(k -> k.startsWith("aux1.") || k.startsWith("aux2.")), extra.toString());
        assertEquals(List.of("aux1.", "aux2."), TorchModels.ignoredPrefixes("googlenet"));
    }

    @Test void torchvisionAlexnetIsRefusedWithItsKeysListed() {
        Module model = ModelZoo.get("alexnet-cifar").build(new Rng(0));   // the big one would only add memory
        InputDataException e = assertThrows(InputDataException.class, () -> loadZeros(model, TWINS.get("alexnet"), "alexnet-cifar"));
        assertTrue(e.getMessage().contains("missing (16): conv1.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected (16): features.0.weight"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
    }

    /** Loads a state_dict of zeros (counters 0) with the listed keys; afterwards every parameter is 0. */
    private static void loadZeros(Module model, Map<String, String> keys, String name) throws InputDataException {
        Map<String, Tensor> floats = new LinkedHashMap<>();
        Map<String, TorchSafeTensors.IntTensor> ints = new LinkedHashMap<>();
        for (Map.Entry<String, String> k : keys.entrySet()) {
            String dims = k.getValue().substring(k.getValue().indexOf('[') + 1, k.getValue().length() - 1);
            Shape s = Shape.of(dims.isEmpty() ? new int[0] : java.util.Arrays.stream(dims.split(",")).mapToInt(Integer::parseInt).toArray());
            if (k.getValue().startsWith("int64")) ints.put(k.getKey(), new TorchSafeTensors.IntTensor(s, new long[s.size()]));
            else floats.put(k.getKey(), Tensor.zeros(s));
        }
        TorchStateDict.load(model, new TorchSafeTensors.Contents(floats, ints, Map.of()), name, TorchModels.ignoredPrefixes(name));
        for (var p : model.params()) for (float v : p.value().data()) assertEquals(0f, v, p.name());
    }
}
