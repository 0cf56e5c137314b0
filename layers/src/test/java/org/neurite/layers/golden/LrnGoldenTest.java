package org.neurite.layers.golden;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurite.layers.lrn.LocalResponseNorm;

/**
 * LocalResponseNorm (CPU engine) against PyTorch's nn.LocalResponseNorm: AlexNet's settings (as the
 * zoo passes them: alpha 5e-4 = the paper's 1e-4 times size 5, k 2), PyTorch's defaults, even window
 * sizes (asymmetric windows), a window wider than the channels, and a 3-d input.
 */
class LrnGoldenTest {
    private static final Golden GOLDEN = Golden.load("lrn");

    static List<String> cases() { return GOLDEN.cases(); }

    @Test void fileHoldsEveryConfiguration() {
        GOLDEN.assertHasCases("alexnet", "torch_default", "even_size", "size2_strong", "wider_than_c");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(String c) {
        LocalResponseNorm.Config config = LocalResponseNorm.Config.of(GOLDEN.integer(c, "size"), (float) GOLDEN.number(c, "alpha"),
                (float) GOLDEN.number(c, "beta"), (float) GOLDEN.number(c, "k"));
        GOLDEN.checkLayer(c, new LocalResponseNorm(config));
    }
}
