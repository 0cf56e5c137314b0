package org.neurite.layers.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurite.layers.Mode;
import org.neurite.layers.norm.BatchNorm;
import org.neurite.layers.norm.BatchNorm1d;
import org.neurite.layers.norm.BatchNorm2d;
import org.neurite.runtime.Tensor;

/**
 * BatchNorm1d/2d (CPU engine) against PyTorch's nn.BatchNorm1d/2d, from non-default running
 * statistics: in training mode the output (batch mean, biased variance), dx, dgamma, dbeta and the
 * running mean and variance after the step (unbiased variance, momentum); in evaluation mode the
 * output and gradients through the running statistics, which must stay as they were.
 */
class BatchNormGoldenTest {
    private static final Golden GOLDEN = Golden.load("batchnorm");

    static List<String> cases() { return GOLDEN.cases(); }

    @Test void fileHoldsEveryConfiguration() {
        GOLDEN.assertHasCases("bn2d_train", "bn2d_eval", "bn2d_eps_momentum", "bn1d_train", "bn1d_train_ncl",
                "bn1d_small_batch", "bn1d_eval");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(String c) {
        String at = "batchnorm/" + c;
        int features = GOLDEN.integer(c, "features");
        float eps = (float) GOLDEN.number(c, "eps"), momentum = (float) GOLDEN.number(c, "momentum");
        BatchNorm bn = GOLDEN.integer(c, "dim") == 2 ? new BatchNorm2d(features, eps, momentum) : new BatchNorm1d(features, eps, momentum);
        bn.weight().value().copyFrom(GOLDEN.tensor(c, "weight"));
        bn.bias().value().copyFrom(GOLDEN.tensor(c, "bias"));
        bn.runningMean().copyFrom(GOLDEN.tensor(c, "running_mean"));
        bn.runningVar().copyFrom(GOLDEN.tensor(c, "running_var"));
        boolean train = GOLDEN.value(c, "mode").equals("train");

        bn.zeroGrad();
        Tensor y = bn.forward(GOLDEN.tensor(c, "x"), train ? Mode.TRAIN : Mode.EVAL);
        Golden.assertForward(at + " y", GOLDEN.tensor(c, "y"), y);
        Tensor dX = bn.backward(GOLDEN.tensor(c, "dy"));
        Golden.assertGrad(at + " dx", GOLDEN.tensor(c, "dx"), dX);
        Golden.assertGrad(at + " dweight", GOLDEN.tensor(c, "dweight"), bn.weight().grad());
        Golden.assertGrad(at + " dbias", GOLDEN.tensor(c, "dbias"), bn.bias().grad());
        if (train) {
            Golden.assertForward(at + " running_mean after the step", GOLDEN.tensor(c, "running_mean_after"), bn.runningMean());
            Golden.assertForward(at + " running_var after the step", GOLDEN.tensor(c, "running_var_after"), bn.runningVar());
        } else {
            assertArrayEquals(GOLDEN.tensor(c, "running_mean").data(), bn.runningMean().data(), at + ": eval changed running_mean");
            assertArrayEquals(GOLDEN.tensor(c, "running_var").data(), bn.runningVar().data(), at + ": eval changed running_var");
        }
    }
}
