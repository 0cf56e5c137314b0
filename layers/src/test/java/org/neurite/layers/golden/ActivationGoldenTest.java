package org.neurite.layers.golden;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurite.layers.Module;
import org.neurite.layers.activation.Activation;
import org.neurite.layers.activation.Softmax;
import org.neurite.layers.shape.Flatten;

/**
 * Activations and Softmax (CPU engine) against PyTorch's modules, inputs kept away from the kinks;
 * Flatten against nn.Flatten.
 */
class ActivationGoldenTest {
    private static final Golden GOLDEN = Golden.load("activation");

    static List<String> cases() { return GOLDEN.cases(); }

    @Test void fileHoldsEveryActivation() {
        GOLDEN.assertHasCases("relu", "leaky_relu", "leaky_relu_2", "elu", "elu_half", "sigmoid", "tanh", "softmax", "softmax_3d");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(String c) {
        float alpha = (float) GOLDEN.number(c, "alpha");
        Module m = switch (GOLDEN.value(c, "kind")) {
            case "relu" -> Activation.relu();
            case "leaky_relu" -> Activation.leakyRelu(alpha);
            case "elu" -> Activation.elu(alpha);
            case "sigmoid" -> Activation.sigmoid();
            case "tanh" -> Activation.tanh();
            case "softmax" -> new Softmax();
            default -> throw new IllegalArgumentException(c + ": unknown kind " + GOLDEN.value(c, "kind"));
        };
        GOLDEN.checkLayer(c, m);
    }

    @Test void flattenMatchesPyTorch() {
        Golden.load("flatten").checkLayer("nchw", new Flatten());
    }
}
