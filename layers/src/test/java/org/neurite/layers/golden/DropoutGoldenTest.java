package org.neurite.layers.golden;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurite.layers.Mode;
import org.neurite.layers.dropout.Dropout;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;

/**
 * Dropout against PyTorch's nn.Dropout where PyTorch is deterministic: evaluation mode (p 0.5 and
 * 0.9: the identity, no rescaling, since training already scaled by 1/(1-p)) and training with
 * p = 0 (the identity). Output and input gradient.
 */
class DropoutGoldenTest {
    private static final Golden GOLDEN = Golden.load("dropout");

    static List<String> cases() { return GOLDEN.cases(); }

    @Test void fileHoldsEveryConfiguration() {
        GOLDEN.assertHasCases("eval_p05", "eval_p09", "train_p0");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(String c) {
        Dropout drop = new Dropout((float) GOLDEN.number(c, "p"), new Rng(3));
        Mode mode = GOLDEN.value(c, "mode").equals("train") ? Mode.TRAIN : Mode.EVAL;
        Tensor y = drop.forward(GOLDEN.tensor(c, "x"), mode);
        Golden.assertForward("dropout/" + c + " y", GOLDEN.tensor(c, "y"), y);
        Golden.assertGrad("dropout/" + c + " dx", GOLDEN.tensor(c, "dx"), drop.backward(GOLDEN.tensor(c, "dy")));
    }
}
