package org.neurite.layers.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.neurite.layers.Mode;
import org.neurite.layers.dropout.Dropout;
import org.neurite.layers.dropout.DropoutCuda;
import org.neurite.layers.lrn.LocalResponseNorm;
import org.neurite.layers.lrn.LrnCudnn;
import org.neurite.layers.lrn.LrnOp;
import org.neurite.layers.norm.BatchNormCudnn;
import org.neurite.layers.norm.BatchNormGeometry;
import org.neurite.layers.norm.BatchNormOp;
import org.neurite.runtime.Device;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.TensorAsserts;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.GpuTest;

/**
 * On a GPU: batch norm (training, inference, recompute, both backwards, channel prefixes), LRN
 * (cuDNN and kernel paths, odd and even windows) and dropout (same seed, same mask) against the
 * CPU engines, with a relative tolerance of 1e-4 scaled by the magnitude of the expected values.
 * Parameter gradients start non-zero so the accumulation rule is checked too.
 */
@GpuTest
class NormParityGpuTest {
    private static final double TOL = 1e-4;
    private static CudaDevice cuda;

    @BeforeAll static void openDevice() {
        cuda = CudaDevice.shared(0);
    }

    private static Tensor random(Rng rng, Shape s, float mean, float std) {
        Tensor t = Tensor.zeros(s);
        rng.normal(t.data(), 0, t.size(), mean, std);
        return t;
    }

    private static Tensor gpu(Tensor cpu) { return cpu.toDevice(cuda); }

    /** |expected - actual| <= 1e-4 * max(1, max |expected|) everywhere. */
    static void assertParity(String what, Tensor expected, Tensor onGpu) {
        float[] e = expected.data();
        float[] a = onGpu.toCpu().data();
        double scale = 1;
        for (float v : e) scale = Math.max(scale, Math.abs(v));
        TensorAsserts.assertClose(what, e, a, TOL, TOL * scale);
    }

    // ---- batch norm ----

    static Stream<Arguments> bnCases() {
        return Stream.of(
                Arguments.of(BatchNormGeometry.contiguous(4, 3, 25), "images"),
                Arguments.of(BatchNormGeometry.contiguous(16, 7, 1), "features"),
                Arguments.of(new BatchNormGeometry(3, 4, 9, 10 * 9, 6 * 9), "channel prefix of wider buffers"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("bnCases")
    void batchNormTrainingForwardAndBackward(BatchNormGeometry g, String name) {
        Rng rng = new Rng(7);
        int c = g.channels();
        Shape xs = Shape.of(g.n(), g.xSampleStride()), ys = Shape.of(g.n(), g.ySampleStride()), cs = Shape.of(c);
        Tensor x = random(rng, xs, 3f, 2f), dY = random(rng, ys, 0f, 1f), y0 = random(rng, ys, 0f, 1f), dX0 = random(rng, xs, 0f, 1f);
        Tensor gamma = random(rng, cs, 1f, 0.3f), beta = random(rng, cs, 0f, 0.3f);
        Tensor rm0 = random(rng, cs, 0f, 1f), rv0 = random(rng, cs, 2f, 0.2f), dg0 = random(rng, cs, 0f, 1f), db0 = random(rng, cs, 0f, 1f);

        BatchNormOp cpu = BatchNormOp.plan(g, Device.CPU);
        Tensor y = y0.copy(), rm = rm0.copy(), rv = rv0.copy(), sm = Tensor.zeros(c), si = Tensor.zeros(c);
        Tensor dX = dX0.copy(), dXacc = dX0.copy(), dg = dg0.copy(), db = db0.copy();
        cpu.forwardTraining(x, gamma, beta, 0.1f, 1e-5f, rm, rv, sm, si, y);
        cpu.backward(x, dY, gamma, sm, si, dX, false, dg, db);
        cpu.backward(x, dY, gamma, sm, si, dXacc, true, dg, db);

        BatchNormOp op = new BatchNormCudnn(g, cuda);
        Tensor gx = gpu(x), gdY = gpu(dY), gy = gpu(y0), ggamma = gpu(gamma), gbeta = gpu(beta);
        Tensor grm = gpu(rm0), grv = gpu(rv0), gsm = Tensor.zeros(cs, cuda), gsi = Tensor.zeros(cs, cuda);
        Tensor gdX = gpu(dX0), gdXacc = gpu(dX0), gdg = gpu(dg0), gdb = gpu(db0);
        op.forwardTraining(gx, ggamma, gbeta, 0.1f, 1e-5f, grm, grv, gsm, gsi, gy);
        op.backward(gx, gdY, ggamma, gsm, gsi, gdX, false, gdg, gdb);
        op.backward(gx, gdY, ggamma, gsm, gsi, gdXacc, true, gdg, gdb);
        assertParity(name + " y (channels past the prefix untouched)", y, gy);
        assertParity(name + " running mean", rm, grm);
        assertParity(name + " running var (unbiased)", rv, grv);
        assertParity(name + " saved mean", sm, gsm);
        assertParity(name + " saved inverse std", si, gsi);
        assertParity(name + " dX (written)", dX, gdX);
        assertParity(name + " dX (accumulated)", dXacc, gdXacc);
        assertParity(name + " dGamma (accumulated twice)", dg, gdg);
        assertParity(name + " dBeta (accumulated twice)", db, gdb);

        // parameter gradients only (frozen input)
        Tensor dg2 = dg0.copy(), db2 = db0.copy(), gdg2 = gpu(dg0), gdb2 = gpu(db0);
        cpu.backward(x, dY, gamma, sm, si, null, false, dg2, db2);
        op.backward(gx, gdY, ggamma, gsm, gsi, null, false, gdg2, gdb2);
        assertParity(name + " dGamma without dX", dg2, gdg2);
        assertParity(name + " dBeta without dX", db2, gdb2);

        // recompute from the saved statistics
        Tensor yr = y0.copy(), gyr = gpu(y0);
        cpu.normalize(x, gamma, beta, sm, si, yr);
        op.normalize(gx, ggamma, gbeta, gsm, gsi, gyr);
        assertParity(name + " normalize", yr, gyr);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("bnCases")
    void batchNormEvaluationForwardAndFixedBackward(BatchNormGeometry g, String name) {
        Rng rng = new Rng(9);
        int c = g.channels();
        Shape xs = Shape.of(g.n(), g.xSampleStride()), ys = Shape.of(g.n(), g.ySampleStride()), cs = Shape.of(c);
        Tensor x = random(rng, xs, 1f, 2f), dY = random(rng, ys, 0f, 1f), y0 = random(rng, ys, 0f, 1f), dX0 = random(rng, xs, 0f, 1f);
        Tensor gamma = random(rng, cs, 1f, 0.3f), beta = random(rng, cs, 0f, 0.3f), mean = random(rng, cs, 1f, 0.5f), var = random(rng, cs, 3f, 0.5f);
        Tensor invStd = Tensor.zeros(c), dg0 = random(rng, cs, 0f, 1f), db0 = random(rng, cs, 0f, 1f);
        for (int i = 0; i < c; i++) invStd.data()[i] = (float) (1.0 / Math.sqrt(var.data()[i] + 1e-5));

        BatchNormOp cpu = BatchNormOp.plan(g, Device.CPU);
        Tensor y = y0.copy(), dX = dX0.copy(), dXacc = dX0.copy(), dg = dg0.copy(), db = db0.copy();
        cpu.forwardInference(x, gamma, beta, mean, var, 1e-5f, y);
        cpu.backwardFixed(x, dY, gamma, mean, invStd, dX, false, dg, db);
        cpu.backwardFixed(x, dY, gamma, mean, invStd, dXacc, true, dg, db);

        BatchNormOp op = new BatchNormCudnn(g, cuda);
        Tensor gx = gpu(x), gdY = gpu(dY), gy = gpu(y0), ggamma = gpu(gamma), gbeta = gpu(beta), gmean = gpu(mean), gvar = gpu(var);
        Tensor ginv = gpu(invStd), gdX = gpu(dX0), gdXacc = gpu(dX0), gdg = gpu(dg0), gdb = gpu(db0);
        op.forwardInference(gx, ggamma, gbeta, gmean, gvar, 1e-5f, gy);
        op.backwardFixed(gx, gdY, ggamma, gmean, ginv, gdX, false, gdg, gdb);
        op.backwardFixed(gx, gdY, ggamma, gmean, ginv, gdXacc, true, gdg, gdb);
        assertParity(name + " eval y", y, gy);
        assertParity(name + " fixed dX (written)", dX, gdX);
        assertParity(name + " fixed dX (accumulated)", dXacc, gdXacc);
        assertParity(name + " fixed dGamma", dg, gdg);
        assertParity(name + " fixed dBeta", db, gdb);
    }

    // ---- LRN ----

    static Stream<Arguments> lrnCases() {
        return Stream.of(
                Arguments.of(LocalResponseNorm.Config.of(5, 1e-4f, 0.75f, 2f), false, "AlexNet, cuDNN"),
                Arguments.of(LocalResponseNorm.Config.of(5, 1e-4f, 0.75f, 2f), true, "AlexNet, kernels"),
                Arguments.of(LocalResponseNorm.Config.of(3, 0.5f, 0.6f, 1f), false, "size 3, strong alpha, cuDNN"),
                Arguments.of(LocalResponseNorm.Config.of(4, 0.5f, 0.75f, 1f), false, "size 4 (even: kernels)"),
                Arguments.of(LocalResponseNorm.Config.of(2, 1f, 0.75f, 1f), false, "size 2 (even: kernels)"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("lrnCases")
    void lrnForwardAndBackward(LocalResponseNorm.Config cfg, boolean forceKernels, String name) {
        int n = 2, c = 7, spatial = 12;
        Shape s = Shape.of(n, c, 3, 4);
        Rng rng = new Rng(13);
        Tensor x = random(rng, s, 0f, 2f), dY = random(rng, s, 0f, 1f);
        LrnOp cpu = LrnOp.plan(cfg, n, c, spatial, Device.CPU);
        Tensor y = Tensor.zeros(s), dX = Tensor.zeros(s);
        cpu.forward(x, y);
        cpu.backward(x, y, dY, dX);

        LrnCudnn op = new LrnCudnn(cfg, n, c, spatial, cuda, forceKernels);
        assertEquals(cfg.size() % 2 == 1 && !forceKernels, op.usesCudnn());
        Tensor gx = gpu(x), gdY = gpu(dY), gy = Tensor.zeros(s, cuda), gdX = Tensor.zeros(s, cuda);
        op.forward(gx, gy);
        op.backward(gx, gy, gdY, gdX);
        assertParity(name + " y", y, gy);
        assertParity(name + " dX", dX, gdX);
    }

    // ---- dropout ----

    @ParameterizedTest
    @ValueSource(floats = {0f, 0.5f})
    void dropoutDrawsTheCpuMaskAndAppliesIt(float p) {
        Shape s = Shape.of(5, 33);
        Rng rng = new Rng(21);
        Tensor x = random(rng, s, 0f, 1f), dY = random(rng, s, 0f, 1f);
        Dropout cpu = new Dropout(p, new Rng(4));
        cpu.setNeedsInputGrad(true);
        Tensor y = cpu.forward(x, Mode.TRAIN).copy();
        Tensor dX = cpu.backward(dY).copy();

        DropoutCuda op = new DropoutCuda(p, new Rng(4), cuda);
        Tensor gx = gpu(x), gdY = gpu(dY), gy = Tensor.zeros(s, cuda), gdX = Tensor.zeros(s, cuda);
        op.forward(gx, gy);
        op.backward(gdY, gdX);
        assertArrayEquals(y.data(), gy.toCpu().data(), "dropout y: the same mask, exactly");
        assertArrayEquals(dX.data(), gdX.toCpu().data(), "dropout dX");
        if (p == 0f) assertArrayEquals(x.data(), gy.toCpu().data(), "p = 0 is the identity");
    }

    @Test void dropoutSecondDrawFollowsTheCpuStream() {
        Shape s = Shape.of(64);
        Tensor x = Tensor.zeros(s);
        x.fill(1f);
        Dropout cpu = new Dropout(0.25f, new Rng(8));
        cpu.forward(x, Mode.TRAIN);
        Tensor second = cpu.forward(x, Mode.TRAIN).copy();
        DropoutCuda op = new DropoutCuda(0.25f, new Rng(8), cuda);
        Tensor gx = gpu(x), gy = Tensor.zeros(s, cuda);
        op.forward(gx, gy);
        op.forward(gx, gy);
        assertArrayEquals(second.data(), gy.toCpu().data());
    }
}
