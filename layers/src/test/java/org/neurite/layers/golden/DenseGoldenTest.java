package org.neurite.layers.golden;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurite.layers.dense.Dense;
import org.neurite.runtime.Rng;

/** Dense (CPU engine) against PyTorch's nn.Linear: output, dX, dW and db. */
class DenseGoldenTest {
    private static final Golden GOLDEN = Golden.load("dense");

    static List<String> cases() { return GOLDEN.cases(); }

    @Test void fileHoldsEveryConfiguration() {
        GOLDEN.assertHasCases("bias", "no_bias", "single_row");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(String c) {
        Dense.Config config = Dense.Config.of(GOLDEN.integer(c, "in_features"), GOLDEN.integer(c, "out_features"))
                .withBias(GOLDEN.flag(c, "bias"));
        GOLDEN.checkLayer(c, new Dense(config, new Rng(1)));
    }
}
