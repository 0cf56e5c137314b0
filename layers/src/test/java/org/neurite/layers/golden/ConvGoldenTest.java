package org.neurite.layers.golden;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurite.layers.conv.Conv2d;
import org.neurite.runtime.Rng;

/** Conv2d (CPU engine) against PyTorch's nn.Conv2d: output, dX, dW and db for every golden case. */
class ConvGoldenTest {
    private static final Golden GOLDEN = Golden.load("conv2d");

    static List<String> cases() { return GOLDEN.cases(); }

    @Test void fileHoldsEveryConfiguration() {
        GOLDEN.assertHasCases("basic", "stride2_pad1", "rect_stride", "dilation2", "dilation_rect",
                "groups2", "depthwise", "depthwise_x2", "pointwise", "lenet_c1");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(String c) {
        int[] k = GOLDEN.ints(c, "kernel");
        int[] s = GOLDEN.ints(c, "stride");
        int[] p = GOLDEN.ints(c, "padding");
        int[] d = GOLDEN.ints(c, "dilation");
        Conv2d.Config config = Conv2d.config(GOLDEN.integer(c, "in_channels"), GOLDEN.integer(c, "out_channels"), k[0])
                .kernel(k[0], k[1]).stride(s[0], s[1]).padding(p[0], p[1]).dilation(d[0], d[1])
                .groups(GOLDEN.integer(c, "groups")).bias(GOLDEN.flag(c, "bias")).build();
        GOLDEN.checkLayer(c, new Conv2d(config, new Rng(1)));
    }
}
