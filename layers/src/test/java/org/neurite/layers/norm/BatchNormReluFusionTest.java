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
    /**
     * After a training forward the CPU engine masks dY by x * scale + shift > 0 instead of reading
     * y: the same bits as an engine that never ran that forward and masks by y > 0 (rows of 35
     * and 1024 values: vector tails and whole vectors).
     */
    @Test void maskFromXGivesTheBitsOfTheMaskFromY() {
        for (BatchNormGeometry g : new BatchNormGeometry[] {BatchNormGeometry.contiguous(3, 2, 35), BatchNormGeometry.contiguous(4, 3, 1024)}) {
            Shape s = Shape.of(g.n(), g.channels(), g.spatial());
            Tensor x = random(s, 7), dy = random(s, 8), gamma = random(Shape.of(g.channels()), 9), beta = random(Shape.of(g.channels()), 10);
            Tensor rm = Tensor.zeros(g.channels()), rv = Tensor.zeros(g.channels()), mean = Tensor.zeros(g.channels()), inv = Tensor.zeros(g.channels());
            Tensor y = Tensor.zeros(s);
            BatchNormCpu forwarded = new BatchNormCpu(g);
            forwarded.forwardTraining(x, gamma, beta, 0.1f, 1e-5f, rm, rv, mean, inv, y, true);
            float[][] byX = backward(forwarded, g, x, y, dy, gamma, mean, inv), byY = backward(new BatchNormCpu(g), g, x, y, dy, gamma, mean, inv);
            int zeros = 0;
            for (float v : y.data()) zeros += v == 0f ? 1 : 0;
            assertTrue(zeros > 0 && zeros < y.size(), "the ReLU masks some values, not all: " + zeros);
            for (int i = 0; i < 3; i++) assertArrayEquals(byY[i], byX[i], new String[] {"dX", "dGamma", "dBeta"}[i] + " " + g);
        }
    }

    private static float[][] backward(BatchNormCpu op, BatchNormGeometry g, Tensor x, Tensor y, Tensor dy, Tensor gamma, Tensor mean, Tensor inv) {
        Tensor dx = Tensor.zeros(x.shape()), dGamma = Tensor.zeros(g.channels()), dBeta = Tensor.zeros(g.channels());
        op.backward(x, y, dy, gamma, mean, inv, dx, false, dGamma, dBeta, true);
        return new float[][] {dx.data(), dGamma.data(), dBeta.data()};
    }
}
