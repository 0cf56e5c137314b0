package org.neurite.layers.norm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neurite.runtime.TensorAsserts.assertClose;

import org.junit.jupiter.api.Test;
import org.neurite.layers.GradCheck;
import org.neurite.layers.Mode;
import org.neurite.layers.Sequential;
import org.neurite.layers.activation.Activation;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * BN followed by a ReLU in a Sequential is fused into the CPU engine: the same bits as BN and a
 * separate ReLU, forward and backward, in both modes; rows of odd lengths cover the vector tails.
 */
class BatchNormReluFusionTest {

    private static Tensor random(Shape s, long seed) {
        float[] x = new float[s.size()];
        new Rng(seed).uniform(x, 0, x.length, -2f, 2f);
        return Tensor.wrap(s, x);
    }

    private static BatchNorm2d bn(int c, long seed) {
        BatchNorm2d bn = new BatchNorm2d(c);
        Rng rng = new Rng(seed);
        rng.uniform(bn.weight().value().data(), 0, c, 0.5f, 1.5f);
        rng.uniform(bn.bias().value().data(), 0, c, -0.5f, 0.5f);
        rng.uniform(bn.runningMean().data(), 0, c, -0.5f, 0.5f);
        rng.uniform(bn.runningVar().data(), 0, c, 0.5f, 2f);
        return bn;
    }

    /** y, dX, dGamma, dBeta, running mean and var after one forward and backward. */
    private static float[][] run(boolean fused, Shape s, Mode mode) {
        BatchNorm2d bn = bn(s.dim(1), 1);
        Activation relu = Activation.relu();
        Tensor x = random(s, 2), dy = random(s, 3);
        Tensor y, dX;
        if (fused) {
            Sequential seq = new Sequential().add("bn", bn).add("relu", relu);
            y = seq.forward(x, mode);
            assertSame(y, bn.forward(x, mode), "the ReLU passes the fused output through");
            assertTrue(bn.isFusedOutput(y));
            y = seq.forward(x, mode);
            dX = seq.backward(dy);
        } else {
            y = relu.forward(bn.forward(x, mode), mode);
            assertNotSame(y, bn.forward(x, mode));
            y = relu.forward(bn.forward(x, mode), mode);
            dX = bn.backward(relu.backward(dy));
        }
        return new float[][] {y.data().clone(), dX.data().clone(), bn.weight().grad().data().clone(),
            bn.bias().grad().data().clone(), bn.runningMean().data().clone(), bn.runningVar().data().clone()};
    }

    @Test void fusedEqualsSeparateBitForBit() {
        String[] names = {"y", "dX", "dGamma", "dBeta", "running mean", "running var"};
        for (Shape s : new Shape[] {Shape.of(3, 4, 5, 7), Shape.of(2, 3, 8, 8), Shape.of(5, 2, 1, 1), Shape.of(2, 16, 17, 3)}) {
            for (Mode mode : Mode.values()) {
                float[][] a = run(true, s, mode), b = run(false, s, mode);
                for (int i = 0; i < a.length; i++) assertArrayEquals(b[i], a[i], names[i] + " " + s + " " + mode);
                for (float v : a[0]) assertTrue(v >= 0f, "fused output is non-negative");
            }
        }
    }

    @Test void fusedOutputMatchesDoubleReference() {
        Shape s = Shape.of(3, 2, 5, 7);
        BatchNorm2d bn = bn(2, 1);
        float[] gamma = bn.weight().value().data().clone(), beta = bn.bias().value().data().clone();
        Tensor x = random(s, 2);
        Tensor y = new Sequential().add("bn", bn).add("relu", Activation.relu()).forward(x, Mode.TRAIN);
        double[] expected = new double[s.size()];
        int sp = 35;
        for (int c = 0; c < 2; c++) {
            double sum = 0, sq = 0;
            for (int i = 0; i < 3; i++) for (int j = 0; j < sp; j++) sum += x.data()[(i * 2 + c) * sp + j];
            double mean = sum / (3 * sp);
            for (int i = 0; i < 3; i++) for (int j = 0; j < sp; j++) sq += Math.pow(x.data()[(i * 2 + c) * sp + j] - mean, 2);
            double inv = 1 / Math.sqrt(sq / (3 * sp) + 1e-5);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < sp; j++) {
                    int o = (i * 2 + c) * sp + j;
                    expected[o] = Math.max(0, (x.data()[o] - mean) * inv * gamma[c] + beta[c]);
                }
            }
        }
        double[] actual = new double[s.size()];
        for (int i = 0; i < actual.length; i++) actual[i] = y.data()[i];
        assertClose("fused bn+relu y", expected, actual, 1e-5, 1e-6);
    }

    @Test void gradientsThroughFusedTrainingAndEval() {
        for (Mode mode : Mode.values()) {
            Sequential seq = new Sequential().add("bn", bn(3, 4)).add("relu", Activation.relu());
            GradCheck.standard().check(seq, random(Shape.of(2, 3, 3, 5), 5), mode, 6);
        }
    }
}
