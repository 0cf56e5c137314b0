package org.neurite.layers.norm;

import org.junit.jupiter.api.Test;
import org.neurite.layers.GradCheck;
import org.neurite.layers.Mode;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * Finite differences for the input, gamma and beta. In TRAIN mode the batch statistics depend on
 * every input, so the check covers the full Jacobian of the normalisation, not just the affine part.
 */
class BatchNormGradCheckTest {

    private static Tensor random(Shape s, long seed) {
        float[] x = new float[s.size()];
        new Rng(seed).uniform(x, 0, x.length, -2f, 2f);
        return Tensor.wrap(s, x);
    }

    /** Non-trivial gamma, beta and running statistics, so every term of the gradient matters. */
    private static <B extends BatchNorm> B randomised(B bn, long seed) {
        Rng rng = new Rng(seed);
        rng.uniform(bn.weight().value().data(), 0, bn.features(), 0.5f, 1.5f);
        rng.uniform(bn.bias().value().data(), 0, bn.features(), -0.5f, 0.5f);
        rng.uniform(bn.runningMean().data(), 0, bn.features(), -0.5f, 0.5f);
        rng.uniform(bn.runningVar().data(), 0, bn.features(), 0.5f, 2f);
        return bn;
    }

    @Test void batchNorm2dTrain() {
        GradCheck.standard().check(randomised(new BatchNorm2d(3), 1), random(Shape.of(2, 3, 3, 2), 2), Mode.TRAIN, 3);
    }

    /** 20-value rows: the vector row loops with a masked tail (shorter rows stay scalar). */
    @Test void batchNorm2dTrainVectorRows() {
        GradCheck.standard().check(randomised(new BatchNorm2d(3), 16), random(Shape.of(2, 3, 4, 5), 17), Mode.TRAIN, 18);
    }

    @Test void batchNorm2dEval() {
        GradCheck.standard().check(randomised(new BatchNorm2d(3), 4), random(Shape.of(2, 3, 2, 2), 5), Mode.EVAL, 6);
    }

    @Test void batchNorm1dTrain() {
        GradCheck.standard().check(randomised(new BatchNorm1d(4), 7), random(Shape.of(5, 4), 8), Mode.TRAIN, 9);
    }

    @Test void batchNorm1dEval() {
        GradCheck.standard().check(randomised(new BatchNorm1d(4), 10), random(Shape.of(3, 4), 11), Mode.EVAL, 12);
    }

    @Test void batchNorm1dSequenceTrain() {
        GradCheck.standard().check(randomised(new BatchNorm1d(2), 13), random(Shape.of(2, 2, 3), 14), Mode.TRAIN, 15);
    }
}
