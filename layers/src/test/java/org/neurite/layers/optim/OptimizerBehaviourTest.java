package org.neurite.layers.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neurite.runtime.TensorAsserts.assertClose;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.neurite.layers.Param;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/** Convergence, state round trips and gradient clipping, for every optimizer. */
class OptimizerBehaviourTest {
    private static final float[] CENTER = {1f, -2f, 0.5f, 3f, 0f, -0.7f, 2.2f, -1.5f};
    private static final float[] CURVATURE = {1f, 2f, 0.5f, 4f, 1f, 3f, 0.8f, 1.5f};

    private static final List<Function<List<Param>, Optimizer>> OPTIMIZERS = List.of(
            ps -> new Sgd(ps, 0.1, 0),
            ps -> new Sgd(ps, Sgd.Config.of(0.05).withMomentum(0.9)),
            ps -> new Sgd(ps, Sgd.Config.of(0.05).withMomentum(0.9).withNesterov(true).withWeightDecay(1e-4)),
            ps -> new Adam(ps, 0.05),
            ps -> new Adam(ps, Adam.Config.adamW(0.05, 1e-4)));

    private static List<Param> params(long seed) {
        Rng rng = new Rng(seed);
        Tensor a = Tensor.zeros(2, 3);
        Tensor b = Tensor.zeros(2);
        rng.uniform(a.data(), 0, a.size(), -1f, 1f);
        rng.uniform(b.data(), 0, b.size(), -1f, 1f);
        return List.of(Param.of("fc.weight", a), Param.of("fc.bias", b));
    }

    /** Gradient of f(w) = sum_i c_i / 2 * (w_i - center_i)^2 over both tensors, written into grad. */
    private static void quadraticGrad(List<Param> ps) {
        int k = 0;
        for (Param p : ps) {
            float[] w = p.value().data();
            float[] g = p.grad().data();
            for (int i = 0; i < w.length; i++, k++) g[i] = CURVATURE[k] * (w[i] - CENTER[k]);
        }
    }

    @Test void everyOptimizerMinimisesAQuadratic() {
        for (int o = 0; o < OPTIMIZERS.size(); o++) {
            List<Param> ps = params(o);
            Optimizer opt = OPTIMIZERS.get(o).apply(ps);
            for (int s = 0; s < 1000; s++) {
                quadraticGrad(ps);
                opt.step();
            }
            int k = 0;
            for (Param p : ps) {
                for (float w : p.value().data()) {
                    assertEquals(CENTER[k], w, 1e-2, "optimizer " + o + ", weight " + k);
                    k++;
                }
            }
        }
    }

    @Test void stateRoundTripContinuesIdentically() {
        for (int o = 0; o < OPTIMIZERS.size(); o++) {
            List<Param> a = params(42);
            Optimizer optA = OPTIMIZERS.get(o).apply(a);
            for (int s = 0; s < 3; s++) {
                quadraticGrad(a);
                optA.step();
            }
            // A fresh model with the same weights and a fresh optimizer loaded from a copy of A's state.
            List<Param> b = params(7);
            for (int i = 0; i < a.size(); i++) b.get(i).value().copyFrom(a.get(i).value());
            Map<String, Tensor> saved = new HashMap<>();
            optA.state().forEach((k, t) -> saved.put(k, t.copy()));
            Optimizer optB = OPTIMIZERS.get(o).apply(b);
            optB.loadState(saved, optA.steps());
            assertEquals(3, optB.steps());
            for (int s = 0; s < 4; s++) {
                quadraticGrad(a);
                optA.step();
                quadraticGrad(b);
                optB.step();
            }
            for (int i = 0; i < a.size(); i++) {
                assertClose("optimizer " + o + " " + a.get(i).name(), a.get(i).value().data(), b.get(i).value().data(), 0, 0);
            }
        }
    }

    @Test void stateKeysNameTheParameters() {
        Optimizer adam = new Adam(params(1), 0.1);
        assertEquals(List.of("fc.weight.exp_avg", "fc.weight.exp_avg_sq", "fc.bias.exp_avg", "fc.bias.exp_avg_sq"),
                List.copyOf(adam.state().keySet()));
        Optimizer sgd = new Sgd(params(1), 0.1, 0.9);
        assertEquals(List.of("fc.weight.momentum", "fc.bias.momentum"), List.copyOf(sgd.state().keySet()));
    }

    @Test void loadStateRejectsAMismatchedModel() {
        Optimizer sgd = new Sgd(params(1), 0.1, 0.9);
        Map<String, Tensor> wrongShape = new HashMap<>(sgd.state());
        wrongShape.put("fc.bias.momentum", Tensor.zeros(3));
        assertThrows(IllegalArgumentException.class, () -> sgd.loadState(wrongShape, 1));
        Map<String, Tensor> missing = new HashMap<>(sgd.state());
        missing.remove("fc.bias.momentum");
        assertThrows(IllegalArgumentException.class, () -> sgd.loadState(missing, 1));
        Map<String, Tensor> extra = new HashMap<>(sgd.state());
        extra.put("fc2.weight.momentum", Tensor.zeros(1));
        assertThrows(IllegalArgumentException.class, () -> sgd.loadState(extra, 1));
    }

    @Test void largeParametersUpdateTheSameInParallel() {
        // 100,000 elements split over threads must equal the same update on one thread.
        int n = 100_000;
        Rng rng = new Rng(3);
        float[] w0 = new float[n];
        float[] g0 = new float[n];
        rng.uniform(w0, 0, n, -1f, 1f);
        rng.uniform(g0, 0, n, -1f, 1f);
        float[][] results = new float[2][];
        int threads = org.neurite.runtime.Parallel.threads();
        try {
            for (int t = 1; t <= 2; t++) {
                org.neurite.runtime.Parallel.setThreads(t);
                Param p = new Param("w", Tensor.wrap(Shape.of(n), w0.clone()), Tensor.wrap(Shape.of(n), g0.clone()));
                Adam adam = new Adam(List.of(p), 0.01);
                adam.step();
                adam.step();
                results[t - 1] = p.value().data();
            }
        } finally {
            org.neurite.runtime.Parallel.setThreads(threads);
        }
        assertClose("adam", results[0], results[1], 0, 0);
    }

    @Test void clipByGlobalNormScalesAllGradientsTogether() {
        Param a = Param.of("a", Tensor.zeros(2));
        Param b = Param.of("b", Tensor.zeros(1));
        a.grad().copyFrom(Tensor.wrap(Shape.of(2), new float[] {3, 0}));
        b.grad().set(0, 4);
        // norm = sqrt(9 + 16) = 5; clip to 1 scales by 1 / (5 + 1e-6)
        assertEquals(5.0, GradClip.clipByGlobalNorm(List.of(a, b), 1.0), 1e-9);
        assertClose("a", new float[] {0.6f, 0}, a.grad().data(), 1e-5, 0);
        assertClose("b", new float[] {0.8f}, b.grad().data(), 1e-5, 0);
        // Below the limit nothing changes.
        assertEquals(1.0, GradClip.clipByGlobalNorm(List.of(a, b), 10.0), 1e-5);
        assertClose("b unchanged", new float[] {0.8f}, b.grad().data(), 1e-5, 0);
        // A non-finite norm is reported and leaves the gradients alone.
        b.grad().set(0, Float.NaN);
        assertFalse(Double.isFinite(GradClip.clipByGlobalNorm(List.of(a, b), 1.0)));
        assertTrue(a.grad().get(0) > 0.59f);
    }
}
