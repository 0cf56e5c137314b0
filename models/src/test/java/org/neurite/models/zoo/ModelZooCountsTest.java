package org.neurite.models.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neurite.layers.Module;
import org.neurite.layers.Param;
import org.neurite.layers.Sequential;
import org.neurite.layers.norm.Buffers;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;

/** Published parameter counts (papers, torchvision) and output shapes of every zoo model. */
class ModelZooCountsTest {

    private static Module assertModel(String name, long params, int... outDims) {
        ModelZoo.Spec spec = ModelZoo.get(name);
        Module m = spec.build(new Rng(1));
        assertEquals(params, m.parameterCount(), name + " parameters");
        int[] in = new int[spec.inputShape().rank() + 1];
        in[0] = 2;
        System.arraycopy(spec.inputShape().dims(), 0, in, 1, spec.inputShape().rank());
        assertEquals(Shape.of(outDims), m.outputShape(Shape.of(in)), name + " output shape");
        return m;
    }

    /** Every given name is a parameter or buffer name of {@code m} (torchvision's state_dict keys). */
    private static void assertNames(Module m, String... names) {
        java.util.Set<String> all = new java.util.HashSet<>();
        for (Param p : m.params()) all.add(p.name());
        all.addAll(Buffers.of(m).keySet());
        for (String n : names) assertTrue(all.contains(n), "no " + n);
    }

    @Test void lenet1998PerLayerCountsAsInThePaper() {
        Sequential m = LeNet1998.build(new Rng(1));
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String n : m.names()) if (m.get(n).parameterCount() > 0) counts.put(n, m.get(n).parameterCount());
        assertEquals("{c1=156, s2=12, c3=1516, s4=32, c5=48120, f6=10164, output=850}", counts.toString());
        assertEquals(60_000, m.parameterCount() - 850);
        assertModel("lenet5-1998", 60_850, 2, 10);
        assertEquals(Shape.of(2, 16, 10, 10), new Sequential().add("a", m.get("c1")).add("b", m.get("s2"))
                .add("c", m.get("c3")).outputShape(Shape.of(2, 1, 32, 32)));
    }

    @Test void alexnet() {
        // conv 34,944 + 307,456 + 885,120 + 663,936 + 442,624; fc 37,752,832 + 16,781,312 + 4,097,000
        assertNames(assertModel("alexnet", 60_965_224, 2, 1000), "conv2.weight", "fc6.weight", "fc8.bias");
        // conv 4,864 + 153,792 + 663,936 + 442,624 + 295,168; fc 2,360,320 + 1,049,600 + 10,250
        assertModel("alexnet-cifar", 4_980_554, 2, 10);
    }

    @Test void vgg() {
        assertNames(assertModel("vgg11", 132_863_336, 2, 1000), "features.0.weight", "features.18.bias", "classifier.6.weight");
        assertNames(assertModel("vgg16", 138_357_544, 2, 1000), "features.28.weight", "classifier.0.weight", "classifier.3.bias");
        // vgg11_bn's numbering: conv, bn, relu per layer; the last conv is features.25
        assertNames(assertModel("vgg-cifar", 9_231_114, 2, 10), "features.25.weight", "features.26.running_var", "classifier.bias");
    }

    @Test void cifarResNets() {
        // conv1 432 + bn 32; stage 1: 3 x (2 x 2,304 + 2 x 32); stage 2: 4,608 + 9,216 + 128 + 512 + 64 then 2 x 18,560;
        // stage 3: 18,432 + 36,864 + 256 + 2,048 + 128 then 2 x 73,984; fc 650
        assertModel("resnet20", 432 + 32 + 3 * 4_672 + 14_528 + 2 * 18_560 + 57_728 + 2 * 73_984 + 650, 2, 10);
        assertEquals(272_474, ModelZoo.get("resnet20").build(new Rng(1)).parameterCount());
        assertModel("resnet56", 432 + 32 + 9 * 4_672 + 14_528 + 8 * 18_560 + 57_728 + 8 * 73_984 + 650, 2, 10);
    }

    @Test void imagenetResNets() {
        assertModel("resnet18", 11_689_512, 2, 1000);
        assertModel("resnet34", 21_797_672, 2, 1000);
        assertNames(assertModel("resnet50", 25_557_032, 2, 1000), "layer3.5.conv3.weight", "layer4.0.downsample.1.running_mean",
                "layer1.0.bn3.running_var", "fc.weight");
    }

    @Test void densenets() {
        assertNames(assertModel("densenet121", 7_978_856, 2, 1000), "features.conv0.weight", "features.norm0.running_mean",
                "features.denseblock3.denselayer24.conv2.weight", "features.transition2.conv.weight", "features.norm5.running_var",
                "classifier.weight");
        // DenseNet-BC-100, k = 12: layer l of a block reads c = c0 + 12 l channels and holds
        // 2c (BN) + 48c (1x1 conv) + 96 (BN) + 48*12*9 (3x3 conv) = 50c + 5,280 parameters
        long p = 3 * 24 * 9;                                   // conv0: 3 -> 2k = 24
        int c0 = 24;
        for (int b = 0; b < 3; b++) {
            for (int l = 0; l < 16; l++) p += 50L * (c0 + 12 * l) + 5_280;
            int c = c0 + 16 * 12;
            if (b < 2) {
                p += 2L * c + (long) c * (c / 2);              // transition: BN, 1x1 conv to c/2
                c0 = c / 2;
            } else {
                p += 2L * c + c * 10L + 10;                    // norm5, classifier
            }
        }
        assertEquals(769_162, p);
        assertModel("densenet-bc-100", p, 2, 10);
    }

    @Test void googlenet() {
        assertNames(assertModel("googlenet", 6_624_904, 2, 1000), "conv1.conv.weight", "conv3.bn.running_var",
                "inception3a.branch2.1.conv.weight", "inception5b.branch4.1.bn.bias", "fc.weight");
    }

    @Test void resnetNamesMapOntoTorchvision() {
        List<String> names = ModelZoo.get("resnet18").build(new Rng(1)).params().stream().map(Param::name).toList();
        assertEquals("conv1.weight", names.get(0));
        assertTrue(names.contains("layer1.0.conv1.weight"), names.toString());
        assertTrue(names.contains("layer2.0.downsample.0.weight"));
        assertTrue(names.contains("layer2.0.downsample.1.bias"));
        assertTrue(names.contains("layer4.1.bn2.weight"));
        assertEquals("fc.bias", names.get(names.size() - 1));
        assertEquals(62, names.size()); // torchvision resnet18: 62 parameter tensors
    }

    @Test void everyModelHasASummary() {
        for (ModelZoo.Spec s : ModelZoo.all()) {
            if (s.name().startsWith("vgg1") || s.name().startsWith("alexnet") && !s.name().contains("cifar")) continue; // big: counted above
            if (s.name().equals("seq2seq")) continue; // time-major [Ts + Tt, N] input: the summary's [1, ...] batch does not fit (merge of rnn)
            Module m = s.build(new Rng(0));
            String text = ModelSummary.of(m, s.inputShape(), 3);
            assertTrue(text.contains(String.format("total parameters: %,d", m.parameterCount())), s.name() + "\n" + text);
        }
    }
}
