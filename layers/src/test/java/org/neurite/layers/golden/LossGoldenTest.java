package org.neurite.layers.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurite.layers.loss.BinaryCrossEntropy;
import org.neurite.layers.loss.Loss;
import org.neurite.layers.loss.MeanSquaredError;
import org.neurite.layers.loss.MultiMarginHinge;
import org.neurite.layers.loss.SoftmaxCrossEntropy;
import org.neurite.runtime.Tensor;

/**
 * The losses against PyTorch's functional losses (mean reduction): cross_entropy (also on
 * {@code [T, N, C]} logits), binary_cross_entropy_with_logits (soft and hard targets), mse_loss and
 * multi_margin_loss. Compares the loss and its gradient with respect to the output.
 */
class LossGoldenTest {
    private static final Golden GOLDEN = Golden.load("loss");

    static List<String> cases() { return GOLDEN.cases(); }

    @Test void fileHoldsEveryLoss() {
        GOLDEN.assertHasCases("softmax_ce", "softmax_ce_3d", "bce_logits", "bce_logits_hard", "mse", "multi_margin");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(String c) {
        Loss loss = switch (GOLDEN.value(c, "kind")) {
            case "softmax_cross_entropy" -> new SoftmaxCrossEntropy();
            case "bce_with_logits" -> new BinaryCrossEntropy();
            case "mse" -> new MeanSquaredError();
            case "multi_margin" -> new MultiMarginHinge();
            default -> throw new IllegalArgumentException(c + ": unknown kind " + GOLDEN.value(c, "kind"));
        };
        double expected = GOLDEN.tensor(c, "loss").get(0);
        double actual = loss.forward(GOLDEN.tensor(c, "x"), GOLDEN.tensor(c, "target"));
        assertEquals(expected, actual, Golden.ABS + Golden.FORWARD_REL * Math.abs(expected), "loss/" + c + " loss");
        Tensor dX = loss.backward();
        Golden.assertGrad("loss/" + c + " dx", GOLDEN.tensor(c, "dx"), dX);
    }
}
