package org.neurite.layers.golden;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurite.layers.Module;
import org.neurite.layers.pool.AvgPool2d;
import org.neurite.layers.pool.MaxPool2d;
import org.neurite.layers.pool.Pool2d;

/**
 * MaxPool2d and AvgPool2d (CPU engine) against PyTorch's nn.MaxPool2d and nn.AvgPool2d
 * (count_include_pad=True): overlapping, padded and rectangular windows, odd sizes that floor.
 * Max-pool inputs have no ties, so the winner is unambiguous.
 */
class PoolGoldenTest {
    private static final Golden GOLDEN = Golden.load("pool2d");

    static List<String> cases() { return GOLDEN.cases(); }

    @Test void fileHoldsEveryConfiguration() {
        GOLDEN.assertHasCases("max_2x2", "max_odd_floor", "max_3x3_s2_overlap", "max_3x3_s1_overlap", "max_3x3_s2_pad1",
                "max_rect_pad", "avg_2x2", "avg_3x3_s1_pad1", "avg_3x3_s2_pad1", "avg_rect_pad");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(String c) {
        int[] k = GOLDEN.ints(c, "kernel");
        int[] s = GOLDEN.ints(c, "stride");
        int[] p = GOLDEN.ints(c, "padding");
        Pool2d.Config config = new Pool2d.Config(k[0], k[1], s[0], s[1], p[0], p[1]);
        Module pool = switch (GOLDEN.value(c, "kind")) {
            case "max" -> new MaxPool2d(config);
            case "avg" -> new AvgPool2d(config);
            default -> throw new IllegalArgumentException(c + ": unknown kind " + GOLDEN.value(c, "kind"));
        };
        GOLDEN.checkLayer(c, pool);
    }
}
