package org.neurite.layers.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurite.layers.Param;
import org.neurite.layers.loss.BinaryCrossEntropy;
import org.neurite.layers.loss.Loss;
import org.neurite.layers.loss.MeanSquaredError;
import org.neurite.layers.loss.MultiMarginHinge;
import org.neurite.layers.loss.SoftmaxCrossEntropy;
import org.neurite.layers.optim.AdaGrad;
import org.neurite.layers.optim.Adam;
import org.neurite.layers.optim.GradClip;
import org.neurite.layers.optim.Optimizer;
import org.neurite.layers.optim.RmsProp;
import org.neurite.layers.optim.Sgd;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.TensorAsserts;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.GpuTest;

/**
 * On a GPU: the device losses (MSE, BCE on logits, multi-class hinge, cross-entropy's predictions), optimizers (SGD, Adam,
 * AdamW, AdaGrad, RMSProp with every option) and global-norm clipping against the CPU engines,
 * with a relative tolerance of 1e-4 scaled by the magnitude of the expected values; the device
 * reductions give the same bits when run twice.
 */
@GpuTest
class LossAndOptimizerParityGpuTest {
    private static final double TOL = 1e-4;
    private static CudaDevice cuda;

    @BeforeAll static void openDevice() {
        cuda = CudaDevice.shared(0);
    }

    private static Tensor random(Rng rng, Shape s, float lo, float hi) {
        Tensor t = Tensor.zeros(s);
        rng.uniform(t.data(), 0, t.size(), lo, hi);
        return t;
    }

    /** |expected - actual| <= 1e-4 * max(1, max |expected|) everywhere. */
    private static void assertParity(String what, Tensor expected, Tensor onGpu) {
        float[] e = expected.toCpu().data();
        float[] a = onGpu.toCpu().data();
        double scale = 1;
        for (float v : e) scale = Math.max(scale, Math.abs(v));
        TensorAsserts.assertClose(what, e, a, TOL, TOL * scale);
    }

    private static void assertLossParity(String what, double expected, double actual) {
        assertEquals(expected, actual, TOL * Math.max(1, Math.abs(expected)), what);
    }

    // ---- losses ----

    static Stream<Arguments> lossCases() {
        return Stream.of(
                Arguments.of("MSE [7, 5]", (Supplier<Loss>) MeanSquaredError::new, Shape.of(7, 5), false),
                Arguments.of("MSE [300, 1000] (1024 blocks, grid-stride)", (Supplier<Loss>) MeanSquaredError::new, Shape.of(300, 1000), false),
                Arguments.of("BCE [9, 1]", (Supplier<Loss>) BinaryCrossEntropy::new, Shape.of(9, 1), false),
                Arguments.of("BCE [64, 333]", (Supplier<Loss>) BinaryCrossEntropy::new, Shape.of(64, 333), false),
                Arguments.of("hinge [8, 10]", (Supplier<Loss>) MultiMarginHinge::new, Shape.of(8, 10), true),
                Arguments.of("hinge [5, 1000] (4 elements per thread)", (Supplier<Loss>) MultiMarginHinge::new, Shape.of(5, 1000), true),
                Arguments.of("hinge [3, 4, 7] (leading dims are rows)", (Supplier<Loss>) MultiMarginHinge::new, Shape.of(3, 4, 7), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lossCases")
    void lossAndGradientMatchTheCpu(String name, Supplier<Loss> make, Shape s, boolean classes) {
        Rng rng = new Rng(17);
        Tensor x = random(rng, s, -3f, 3f);
        Tensor t;
        if (classes) {
            int c = s.dim(-1), rows = s.size() / c;
            t = Tensor.zeros(rows);
            for (int r = 0; r < rows; r++) t.data()[r] = rng.nextInt(c);
        } else {
            t = random(rng, Shape.of(s.size()), 0f, 1f);   // probabilities fit BCE and MSE alike
        }
        Loss cpu = make.get();
        double expected = cpu.forward(x, t);
        Tensor dx = cpu.backward().copy();

        Tensor gx = x.toDevice(cuda);
        for (Tensor target : new Tensor[] {t, t.toDevice(cuda)}) {   // a host target is uploaded, a device one used
            Loss gpu = make.get();
            double loss = gpu.forward(gx, target);
            assertLossParity(name + " loss", expected, loss);
            assertParity(name + " gradient", dx, gpu.backward());
            assertEquals(cuda, gpu.backward().device(), "the gradient stays on the device");
            double again = gpu.forward(gx, target);
            assertEquals(Double.doubleToRawLongBits(loss), Double.doubleToRawLongBits(again), name + ": the same bits twice");
        }
    }

    @Test void crossEntropyPredictionsComeBackWithTheLosses() {
        Rng rng = new Rng(29);
        int n = 50, c = 10;
        Tensor x = Tensor.zeros(n, c);
        for (int i = 0; i < x.size(); i++) x.data()[i] = rng.nextInt(3);   // ties: the first index wins on both
        Tensor t = Tensor.zeros(n);
        for (int i = 0; i < n; i++) t.data()[i] = rng.nextInt(c);
        SoftmaxCrossEntropy cpu = new SoftmaxCrossEntropy(), gpu = new SoftmaxCrossEntropy();
        double expected = cpu.forward(x, t);
        assertLossParity("cross-entropy loss", expected, gpu.forward(x.toDevice(cuda), t));
        assertEquals(java.util.Arrays.toString(cpu.predictions()), java.util.Arrays.toString(gpu.predictions()), "argmax per row");
        assertEquals(cpu.correct(), gpu.correct());
        assertParity("cross-entropy gradient", cpu.backward(), gpu.backward());
    }

    @Test void badTargetsGiveTheCpuEnginesErrors() {
        Tensor x = Tensor.zeros(2, 3).toDevice(cuda);
        Tensor probs = Tensor.wrap(Shape.of(6), new float[] {0, 1, 0.5f, 1.5f, 0, -1});
        String cpuBce = assertThrows(IllegalArgumentException.class, () -> new BinaryCrossEntropy().forward(Tensor.zeros(2, 3), probs)).getMessage();
        assertEquals(cpuBce, assertThrows(IllegalArgumentException.class, () -> new BinaryCrossEntropy().forward(x, probs)).getMessage());
        assertEquals(cpuBce, assertThrows(IllegalArgumentException.class,
                () -> new BinaryCrossEntropy().forward(x, probs.toDevice(cuda))).getMessage());

        Tensor labels = Tensor.wrap(Shape.of(2), new float[] {1, 3});
        String cpuHinge = assertThrows(IllegalArgumentException.class, () -> new MultiMarginHinge().forward(Tensor.zeros(2, 3), labels)).getMessage();
        assertEquals(cpuHinge, assertThrows(IllegalArgumentException.class, () -> new MultiMarginHinge().forward(x, labels)).getMessage());
        assertEquals(cpuHinge, assertThrows(IllegalArgumentException.class,
                () -> new MultiMarginHinge().forward(x, labels.toDevice(cuda))).getMessage());
    }

    // ---- optimizers ----

    static Stream<Arguments> optimizerCases() {
        return Stream.of(
                Arguments.of("SGD momentum, weight decay", (Function<List<Param>, Optimizer>) p ->
                        new Sgd(p, Sgd.Config.of(0.05).withMomentum(0.9).withWeightDecay(1e-3))),
                Arguments.of("SGD Nesterov", (Function<List<Param>, Optimizer>) p ->
                        new Sgd(p, Sgd.Config.of(0.05).withMomentum(0.9).withNesterov(true))),
                Arguments.of("Adam, L2", (Function<List<Param>, Optimizer>) p -> new Adam(p, Adam.Config.adam(1e-2).withWeightDecay(1e-2))),
                Arguments.of("AdamW", (Function<List<Param>, Optimizer>) p -> new Adam(p, Adam.Config.adamW(1e-2, 0.05))),
                Arguments.of("AdaGrad", (Function<List<Param>, Optimizer>) p -> new AdaGrad(p, 0.1)),
                Arguments.of("AdaGrad, weight decay", (Function<List<Param>, Optimizer>) p ->
                        new AdaGrad(p, AdaGrad.Config.of(0.1).withWeightDecay(0.01))),
                Arguments.of("RMSProp", (Function<List<Param>, Optimizer>) p -> new RmsProp(p, 0.01)),
                Arguments.of("RMSProp momentum, weight decay", (Function<List<Param>, Optimizer>) p ->
                        new RmsProp(p, RmsProp.Config.of(0.01).withMomentum(0.9).withWeightDecay(0.01))),
                Arguments.of("RMSProp centered", (Function<List<Param>, Optimizer>) p ->
                        new RmsProp(p, RmsProp.Config.of(0.01).withCentered(true))),
                Arguments.of("RMSProp centered, momentum", (Function<List<Param>, Optimizer>) p ->
                        new RmsProp(p, RmsProp.Config.of(0.01).withCentered(true).withMomentum(0.5))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizerCases")
    void optimizerStepsMatchTheCpu(String name, Function<List<Param>, Optimizer> make) {
        Rng rng = new Rng(23);
        Shape[] shapes = {Shape.of(37), Shape.of(300, 200)};   // one block; a grid-stride loop
        List<Param> cpu = new ArrayList<>(), gpu = new ArrayList<>();
        for (int i = 0; i < shapes.length; i++) {
            Tensor w = random(rng, shapes[i], -1f, 1f);
            cpu.add(new Param("p" + i, w, Tensor.zeros(shapes[i])));
            gpu.add(new Param("p" + i, w.toDevice(cuda), Tensor.zeros(shapes[i], cuda)));
        }
        Optimizer oc = make.apply(cpu), og = make.apply(gpu);
        for (int step = 0; step < 4; step++) {
            for (int i = 0; i < shapes.length; i++) {
                Tensor g = random(rng, shapes[i], -2f, 2f);
                cpu.get(i).grad().copyFrom(g);
                gpu.get(i).grad().copyFrom(g);
            }
            oc.step();
            og.step();
            if (step == 1) {
                oc.setLearningRate(oc.learningRate() * 0.5);   // a schedule changes the rate between steps
                og.setLearningRate(og.learningRate() * 0.5);
            }
        }
        for (int i = 0; i < shapes.length; i++) assertParity(name + " p" + i, cpu.get(i).value(), gpu.get(i).value());
        assertEquals(oc.state().keySet(), og.state().keySet(), name + " state keys");
        oc.state().forEach((k, v) -> assertParity(name + " " + k, v, og.state().get(k)));
    }

    // ---- gradient clipping ----

    @Test void clippingMatchesTheCpuAndIsDeterministic() {
        for (double maxNorm : new double[] {0.5, 1e9}) {   // clips; leaves the gradients as they are
            Rng rng = new Rng(31);
            Shape[] shapes = {Shape.of(6), Shape.of(120, 84), Shape.of(1 << 17)};   // the last uses capped grids
            List<Param> cpu = new ArrayList<>(), gpu = new ArrayList<>();
            for (int i = 0; i < shapes.length; i++) {
                Tensor g = random(rng, shapes[i], -1f, 1f);
                cpu.add(new Param("p" + i, Tensor.zeros(shapes[i]), g));
                gpu.add(new Param("p" + i, Tensor.zeros(shapes[i], cuda), g.toDevice(cuda)));
            }
            List<Tensor> before = new ArrayList<>();
            for (Param p : gpu) before.add(p.grad().copy());
            double expected = GradClip.clipByGlobalNorm(cpu, maxNorm);
            double norm = GradClip.clipByGlobalNorm(gpu, maxNorm);
            assertEquals(expected, norm, 1e-6 * expected, "norm with max " + maxNorm);
            for (int i = 0; i < shapes.length; i++) assertParity("clipped p" + i + " (max " + maxNorm + ")", cpu.get(i).grad(), gpu.get(i).grad());
            for (int i = 0; i < shapes.length; i++) gpu.get(i).grad().copyFrom(before.get(i));
            assertEquals(Double.doubleToRawLongBits(norm), Double.doubleToRawLongBits(GradClip.clipByGlobalNorm(gpu, maxNorm)),
                    "the same norm bits twice");
        }
    }

    @Test void clippingGradientsOnTwoDevicesIsAnError() {
        List<Param> mixed = List.of(new Param("a", Tensor.zeros(2), Tensor.zeros(2)),
                new Param("b", Tensor.zeros(Shape.of(2), cuda), Tensor.zeros(Shape.of(2), cuda)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GradClip.clipByGlobalNorm(mixed, 1));
        assertEquals("clipByGlobalNorm: a's gradient lives on cpu, b's on cuda:0; clip gradients of one device together", e.getMessage());
    }
}
