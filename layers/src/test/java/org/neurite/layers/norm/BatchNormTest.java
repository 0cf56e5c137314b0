package org.neurite.layers.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.neurite.runtime.TensorAsserts.assertClose;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurite.layers.Mode;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/** Values written out from the batch-norm equations (PyTorch semantics), not from the code. */
class BatchNormTest {

    @Test void trainingNormalisesWithBiasedVarianceAndTracksUnbiased() {
        // [N=4, C=2]; channel 0: 1, 2, 3, 6 -> mean 3, squared deviations 4+1+0+9 = 14, biased var 3.5, unbiased 14/3
        //             channel 1: 0, 0, 4, 4 -> mean 2, squared deviations 4*4 = 16, biased var 4, unbiased 16/3
        BatchNorm1d bn = new BatchNorm1d(2);
        bn.weight().value().set(1, 2f);     // gamma_1 = 2
        bn.bias().value().set(1, 0.5f);     // beta_1 = 0.5
        Tensor x = Tensor.wrap(Shape.of(4, 2), new float[] {1, 0, 2, 0, 3, 4, 6, 4});
        Tensor y = bn.forward(x, Mode.TRAIN);
        double s0 = Math.sqrt(3.5 + 1e-5), s1 = Math.sqrt(4 + 1e-5);
        double[] expected = {
            -2 / s0, 2 * (-2 / s1) + 0.5,
            -1 / s0, 2 * (-2 / s1) + 0.5,
             0 / s0, 2 * (2 / s1) + 0.5,
             3 / s0, 2 * (2 / s1) + 0.5};
        assertClose("y", expected, toDouble(y), 1e-6, 1e-6);
        // running = 0.9 * initial + 0.1 * batch statistic; initial mean 0, var 1
        assertClose("running_mean", new double[] {0.1 * 3, 0.1 * 2}, toDouble(bn.runningMean()), 1e-6, 1e-7);
        assertClose("running_var", new double[] {0.9 + 0.1 * 14 / 3.0, 0.9 + 0.1 * 16 / 3.0}, toDouble(bn.runningVar()), 1e-6, 1e-7);

        // A second step with the same batch: r = 0.9 r + 0.1 stat again.
        bn.forward(x, Mode.TRAIN);
        assertClose("running_mean after 2", new double[] {0.9 * 0.3 + 0.3, 0.9 * 0.2 + 0.2}, toDouble(bn.runningMean()), 1e-6, 1e-7);
    }

    @Test void batchNorm2dPoolsOverBatchAndPixels() {
        // [N=2, C=1, H=1, W=2]: 1, 3 | 5, 7 -> mean 4, biased var (9+1+1+9)/4 = 5, unbiased 20/3
        BatchNorm2d bn = new BatchNorm2d(1);
        Tensor y = bn.forward(Tensor.wrap(Shape.of(2, 1, 1, 2), new float[] {1, 3, 5, 7}), Mode.TRAIN);
        double s = Math.sqrt(5 + 1e-5);
        assertClose("y", new double[] {-3 / s, -1 / s, 1 / s, 3 / s}, toDouble(y), 1e-6, 1e-6);
        assertClose("running_var", new double[] {0.9 + 0.1 * 20 / 3.0}, toDouble(bn.runningVar()), 1e-6, 1e-7);
        assertClose("running_mean", new double[] {0.4}, toDouble(bn.runningMean()), 1e-6, 1e-7);
    }

    @Test void evalUsesRunningStatisticsAndLeavesThem() {
        BatchNorm2d bn = new BatchNorm2d(2);
        bn.runningMean().set(0, 1f);
        bn.runningMean().set(1, -2f);
        bn.runningVar().set(0, 4f);
        bn.runningVar().set(1, 0.25f);
        bn.weight().value().set(0, 3f);
        bn.bias().value().set(1, 1f);
        // [N=1, C=2, H=1, W=2]
        Tensor y = bn.forward(Tensor.wrap(Shape.of(1, 2, 1, 2), new float[] {1, 5, -2, 0}), Mode.EVAL);
        double s0 = Math.sqrt(4 + 1e-5), s1 = Math.sqrt(0.25 + 1e-5);
        assertClose("y", new double[] {0, 3 * 4 / s0, 1, 2 / s1 + 1}, toDouble(y), 1e-6, 1e-6);
        assertClose("running_mean unchanged", new double[] {1, -2}, toDouble(bn.runningMean()), 0, 0);
        assertClose("running_var unchanged", new double[] {4, 0.25}, toDouble(bn.runningVar()), 0, 0);
    }

    @Test void backwardHandComputed() {
        // One channel, x = 1, 2, 3, 6 (mean 3, xhat = (x-3)/s with s = sqrt(3.5+eps)), gamma 1, dY = 1, 0, 0, 0.
        // dBeta = sum dY = 1; dGamma = sum dY xhat = -2/s;
        // dX = (1/s) (dY - mean dY - xhat mean(dY xhat)) = (1/s) (dY - 1/4 - xhat (-2/s)/4)
        BatchNorm1d bn = new BatchNorm1d(1);
        Tensor x = Tensor.wrap(Shape.of(4, 1), new float[] {1, 2, 3, 6});
        bn.forward(x, Mode.TRAIN);
        Tensor dX = bn.backward(Tensor.wrap(Shape.of(4, 1), new float[] {1, 0, 0, 0}));
        double s = Math.sqrt(3.5 + 1e-5);
        double[] xhat = {-2 / s, -1 / s, 0, 3 / s};
        double[] dy = {1, 0, 0, 0};
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) expected[i] = (dy[i] - 0.25 - xhat[i] * (-2 / s) / 4) / s;
        assertClose("dX", expected, toDouble(dX), 1e-5, 1e-6);
        assertClose("dGamma", new double[] {-2 / s}, toDouble(bn.weight().grad()), 1e-6, 1e-6);
        assertClose("dBeta", new double[] {1}, toDouble(bn.bias().grad()), 0, 0);
    }

    @Test void paramsAndBuffersUsePyTorchNames() {
        BatchNorm2d bn = new BatchNorm2d(3);
        List<String> names = bn.params().stream().map(p -> p.name()).toList();
        assertEquals(List.of("weight", "bias"), names);
        assertEquals(List.of("running_mean", "running_var"), List.copyOf(bn.buffers().keySet()));
        assertClose("gamma init", new double[] {1, 1, 1}, toDouble(bn.weight().value()), 0, 0);
        assertClose("beta init", new double[] {0, 0, 0}, toDouble(bn.bias().value()), 0, 0);
        assertClose("running_var init", new double[] {1, 1, 1}, toDouble(bn.runningVar()), 0, 0);
        assertEquals(Shape.of(2, 3, 4, 5), bn.outputShape(Shape.of(2, 3, 4, 5)));
        assertThrows(IllegalArgumentException.class, () -> bn.outputShape(Shape.of(2, 4, 4, 5)));
        assertThrows(IllegalArgumentException.class, () -> bn.outputShape(Shape.of(2, 3)));
    }

    @Test void trainingWithOneValuePerChannelFails() {
        BatchNorm1d bn = new BatchNorm1d(2);
        assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(1, 2), Mode.TRAIN));
    }

    static double[] toDouble(Tensor t) {
        double[] d = new double[t.size()];
        for (int i = 0; i < d.length; i++) d[i] = t.get(i);
        return d;
    }
}
