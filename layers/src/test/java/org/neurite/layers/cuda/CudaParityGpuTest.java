package org.neurite.layers.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.neurite.runtime.cuda.GpuTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurite.layers.activation.Activation;
import org.neurite.layers.activation.ActivationCudnn;
import org.neurite.layers.activation.ActivationOp;
import org.neurite.layers.conv.Conv2d;
import org.neurite.layers.conv.ConvCudnn;
import org.neurite.layers.conv.ConvGeometry;
import org.neurite.layers.conv.ConvOp;
import org.neurite.layers.dense.DenseCublas;
import org.neurite.layers.dense.DenseOp;
import org.neurite.layers.pool.Pool2d;
import org.neurite.layers.pool.PoolCudnn;
import org.neurite.layers.pool.PoolGeometry;
import org.neurite.layers.pool.PoolOp;
import org.neurite.runtime.CudaProbe;
import org.neurite.runtime.Device;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.TensorAsserts;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.CudnnOptions;

/**
 * On a GPU: every cuDNN/cuBLAS engine against the CPU engine, the reference (forward, dX, dW, db),
 * with a relative tolerance of 1e-4 scaled by the magnitude of the expected values. Parameter
 * gradients start non-zero so the accumulation rule (+=) is checked too. Skips, saying why,
 * where CUDA is not usable.
 */
@GpuTest
class CudaParityGpuTest {
    private static final double TOL = 1e-4;
    private static CudaDevice cuda;

    @BeforeAll static void openDevice() {
        CudaProbe.Result r = CudaProbe.probe();
        if (!r.usable()) System.out.println("CudaParityGpuTest skipped: " + r.reason());
        Assumptions.assumeTrue(r.usable(), "CUDA not usable: " + r.reason());
        cuda = CudaDevice.shared(0);
    }

    @AfterEach void restoreOptions() {
        if (cuda != null) cuda.setCudnnOptions(CudnnOptions.DEFAULT);
    }

    private static Tensor random(Rng rng, Shape s, float std) {
        Tensor t = Tensor.zeros(s);
        rng.normal(t.data(), 0, t.size(), 0f, std);
        return t;
    }

    private static Tensor gpu(Tensor cpu) {
        return cpu.toDevice(cuda);
    }

    private static Tensor gpuZeros(Shape s) {
        return Tensor.zeros(s, cuda);
    }

    /** |expected - actual| <= 1e-4 * max(1, max |expected|) everywhere. */
    private static void assertParity(String what, Tensor expected, Tensor onGpu) {
        float[] e = expected.data();
        float[] a = onGpu.toCpu().data();
        double scale = 1;
        for (float v : e) scale = Math.max(scale, Math.abs(v));
        TensorAsserts.assertClose(what, e, a, TOL, TOL * scale);
    }

    // ---- dense ----

    @Test void denseForwardAndGradients() {
        int n = 7, in = 13, out = 5;
        Rng rng = new Rng(11);
        Tensor x = random(rng, Shape.of(n, in), 1f), w = random(rng, Shape.of(out, in), 0.5f), b = random(rng, Shape.of(out), 0.5f);
        Tensor dY = random(rng, Shape.of(n, out), 1f), dW0 = random(rng, Shape.of(out, in), 1f), db0 = random(rng, Shape.of(out), 1f);

        DenseOp cpu = DenseOp.forDevice(Device.CPU);
        Tensor y = Tensor.zeros(n, out), dX = Tensor.zeros(n, in), dW = dW0.copy(), db = db0.copy();
        cpu.forward(x, w, b, y);
        cpu.backwardData(dY, w, dX);
        cpu.backwardWeights(dY, x, dW);
        cpu.backwardBias(dY, db);

        DenseOp op = new DenseCublas(cuda);
        Tensor gx = gpu(x), gw = gpu(w), gb = gpu(b), gdY = gpu(dY);
        Tensor gy = gpuZeros(y.shape()), gdX = gpuZeros(dX.shape()), gdW = gpu(dW0), gdb = gpu(db0);
        op.forward(gx, gw, gb, gy);
        op.backwardData(gdY, gw, gdX);
        op.backwardWeights(gdY, gx, gdW);
        op.backwardBias(gdY, gdb);
        assertParity("dense y", y, gy);
        assertParity("dense dX", dX, gdX);
        assertParity("dense dW (accumulated)", dW, gdW);
        assertParity("dense db (accumulated)", db, gdb);

        Tensor yNoBias = Tensor.zeros(n, out), gyNoBias = gpuZeros(y.shape());
        cpu.forward(x, w, null, yNoBias);
        op.forward(gx, gw, null, gyNoBias);
        assertParity("dense y without bias", yNoBias, gyNoBias);
    }

    // ---- convolution ----

    static Stream<Arguments> convCases() {
        return Stream.of(
                Arguments.of(Conv2d.config(3, 4, 3).padding(1).build(), Shape.of(2, 3, 8, 8)),
                Arguments.of(Conv2d.config(3, 5, 5).stride(2).build(), Shape.of(2, 3, 11, 9)),
                Arguments.of(Conv2d.config(3, 4, 3).dilation(2).padding(2).build(), Shape.of(2, 3, 9, 10)),
                Arguments.of(Conv2d.config(4, 6, 3).padding(1).groups(2).build(), Shape.of(2, 4, 7, 7)),
                Arguments.of(Conv2d.config(4, 4, 3).padding(1).groups(4).noBias().build(), Shape.of(3, 4, 6, 6)),
                Arguments.of(Conv2d.config(3, 5, 3).kernel(3, 2).stride(2, 1).padding(1, 0).dilation(1, 2).build(), Shape.of(2, 3, 9, 8)),
                Arguments.of(Conv2d.config(8, 16, 1).build(), Shape.of(4, 8, 5, 5)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("convCases")
    void convForwardAndGradients(Conv2d.Config cfg, Shape input) {
        checkConv(cfg, input, "");
    }

    @Test void convInDeterministicBenchmarkMode() {
        cuda.setCudnnOptions(CudnnOptions.DEFAULT.withDeterministic(true).withBenchmark(true));
        ConvCudnn op = checkConv(Conv2d.config(4, 6, 3).stride(2).padding(1).groups(2).build(), Shape.of(2, 4, 9, 9), " (deterministic, benchmark)");
        assertEquals(AlgoPerf.DETERMINISTIC, op.algorithms().forward().determinism());
        assertEquals(AlgoPerf.DETERMINISTIC, op.algorithms().backwardData().determinism());
        assertEquals(AlgoPerf.DETERMINISTIC, op.algorithms().backwardFilter().determinism());
    }

    private static ConvCudnn checkConv(Conv2d.Config cfg, Shape input, String mode) {
        ConvGeometry g = ConvGeometry.of(cfg, input);
        String name = cfg.describe() + mode;
        Rng rng = new Rng(5);
        Tensor x = random(rng, g.inputShape(), 1f), w = random(rng, g.filterShape(), 0.3f), b = random(rng, Shape.of(g.k()), 0.3f);
        Tensor dY = random(rng, g.outputShape(), 1f), dW0 = random(rng, g.filterShape(), 1f), db0 = random(rng, Shape.of(g.k()), 1f);

        ConvOp cpu = ConvOp.plan(g, Device.CPU);
        Tensor y = Tensor.zeros(g.outputShape()), dX = Tensor.zeros(g.inputShape()), dW = dW0.copy(), db = db0.copy();
        cpu.forward(x, w, cfg.bias() ? b : null, y);
        cpu.backwardData(dY, w, dX);
        cpu.backwardFilter(x, dY, dW);
        cpu.backwardBias(dY, db);

        ConvCudnn op = new ConvCudnn(g, cuda);
        Tensor gx = gpu(x), gw = gpu(w), gb = gpu(b), gdY = gpu(dY);
        Tensor gy = gpuZeros(g.outputShape()), gdX = gpuZeros(g.inputShape()), gdW = gpu(dW0), gdb = gpu(db0);
        op.forward(gx, gw, cfg.bias() ? gb : null, gy);
        op.backwardData(gdY, gw, gdX);
        op.backwardFilter(gx, gdY, gdW);
        op.backwardBias(gdY, gdb);
        assertParity(name + " y", y, gy);
        assertParity(name + " dX", dX, gdX);
        assertParity(name + " dW (accumulated)", dW, gdW);
        assertParity(name + " db (accumulated)", db, gdb);
        for (Tensor t : new Tensor[] {gx, gw, gb, gdY, gy, gdX, gdW, gdb}) t.close();
        assertEquals(true, cuda.workspace().size() >= op.algorithms().workspace(), "the device workspace covers the chosen algorithms");
        return op;
    }

    // ---- pooling ----

    static Stream<Arguments> poolCases() {
        return Stream.of(
                Arguments.of(PoolOp.Kind.MAX, Pool2d.Config.of(2, 2), Shape.of(2, 3, 8, 8)),
                Arguments.of(PoolOp.Kind.MAX, Pool2d.Config.of(3, 2, 1), Shape.of(2, 3, 9, 8)),
                Arguments.of(PoolOp.Kind.AVG, Pool2d.Config.of(2, 2), Shape.of(2, 3, 8, 8)),
                Arguments.of(PoolOp.Kind.AVG, new Pool2d.Config(3, 2, 2, 1, 1, 0), Shape.of(2, 3, 7, 6)));
    }

    @ParameterizedTest(name = "{0} {1} on {2}")
    @MethodSource("poolCases")
    void poolForwardAndBackward(PoolOp.Kind kind, Pool2d.Config cfg, Shape input) {
        PoolGeometry g = PoolGeometry.of("pool", cfg, input);
        Rng rng = new Rng(3);
        Tensor x = random(rng, g.inputShape(), 1f), dY = random(rng, g.outputShape(), 1f);
        PoolOp cpu = PoolOp.plan(kind, g, Device.CPU);
        Tensor y = Tensor.zeros(g.outputShape()), dX = Tensor.zeros(g.inputShape());
        cpu.forward(x, y);
        cpu.backward(x, y, dY, dX);

        PoolOp op = new PoolCudnn(kind, g, cuda);
        Tensor gx = gpu(x), gdY = gpu(dY), gy = gpuZeros(g.outputShape()), gdX = gpuZeros(g.inputShape());
        op.forward(gx, gy);
        op.backward(gx, gy, gdY, gdX);
        assertParity(kind + " " + cfg + " y", y, gy);
        assertParity(kind + " " + cfg + " dX", dX, gdX);
    }

    // ---- activations and softmax ----

    @ParameterizedTest
    @EnumSource(Activation.Kind.class)
    void activationForwardAndBackward(Activation.Kind kind) {
        float alpha = kind == Activation.Kind.LEAKY_RELU ? 0.1f : kind == Activation.Kind.ELU ? 0.7f : 0f;
        Shape s = Shape.of(3, 5, 4);
        Rng rng = new Rng(kind.ordinal() + 1);
        Tensor x = random(rng, s, 3f), dY = random(rng, s, 1f);
        ActivationOp cpu = ActivationOp.forDevice(Device.CPU);
        Tensor y = Tensor.zeros(s), dX = Tensor.zeros(s);
        cpu.forward(kind, alpha, x, y);
        cpu.backward(kind, alpha, x, y, dY, dX);

        ActivationOp op = new ActivationCudnn(cuda);
        Tensor gx = gpu(x), gdY = gpu(dY), gy = gpuZeros(s), gdX = gpuZeros(s);
        op.forward(kind, alpha, gx, gy);
        op.backward(kind, alpha, gx, gy, gdY, gdX);
        assertParity(kind + " y", y, gy);
        assertParity(kind + " dX", dX, gdX);
    }

    @Test void softmaxForwardAndBackward() {
        Shape s = Shape.of(6, 10);
        Rng rng = new Rng(17);
        Tensor x = random(rng, s, 3f), dY = random(rng, s, 1f);
        ActivationOp cpu = ActivationOp.forDevice(Device.CPU);
        Tensor y = Tensor.zeros(s), dX = Tensor.zeros(s);
        cpu.softmaxForward(x, y, 10);
        cpu.softmaxBackward(y, dY, dX, 10);

        ActivationOp op = new ActivationCudnn(cuda);
        Tensor gx = gpu(x), gdY = gpu(dY), gy = gpuZeros(s), gdX = gpuZeros(s);
        op.softmaxForward(gx, gy, 10);
        op.softmaxBackward(gy, gdY, gdX, 10);
        assertParity("softmax y", y, gy);
        assertParity("softmax dX", dX, gdX);
    }
}
