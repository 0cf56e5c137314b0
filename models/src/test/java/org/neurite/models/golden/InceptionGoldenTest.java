package org.neurite.models.golden;

import org.junit.jupiter.api.Test;
import org.neurite.layers.Concat;
import org.neurite.layers.golden.Golden;
import org.neurite.layers.golden.GoldenBlocks;
import org.neurite.models.zoo.GoogLeNet;
import org.neurite.runtime.Rng;

/**
 * The zoo's Inception block ({@link GoogLeNet#inception}) against torchvision's
 * {@code googlenet.Inception} (BasicConv2d branches, batch norm eps 0.001, the "5x5" branch a 3x3,
 * a stride-1 3x3 max pool) in training mode: output, dx, every parameter gradient and running
 * statistic, under torchvision's names.
 */
class InceptionGoldenTest {
    private static final Golden GOLDEN = Golden.load("inception");

    @Test void smallInceptionBlock() {
        String c = "small";
        Concat block = GoogLeNet.inception(GOLDEN.integer(c, "in_channels"), GOLDEN.integer(c, "ch1x1"), GOLDEN.integer(c, "ch3x3red"),
                GOLDEN.integer(c, "ch3x3"), GOLDEN.integer(c, "ch5x5red"), GOLDEN.integer(c, "ch5x5"), GOLDEN.integer(c, "pool_proj"), new Rng(5));
        GoldenBlocks.checkTrainingStep(GOLDEN, c, block);
    }
}
