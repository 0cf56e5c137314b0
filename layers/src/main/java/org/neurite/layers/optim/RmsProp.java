package org.neurite.layers.optim;

import java.util.List;
import java.util.Map;
import org.neurite.layers.Param;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Tensor;

/**
 * RMSProp (Hinton's lecture 6e) as PyTorch's {@code torch.optim.RMSprop} steps it:
 * <pre>
 * g = grad + wd * w
 * v = alpha * v + (1 - alpha) * g * g
 * d = sqrt(v) + eps                      (centered: sqrt(v - a * a) + eps, a = alpha * a + (1 - alpha) * g)
 * momentum > 0:  b = momentum * b + g / d;  w = w - lr * b
 * otherwise:     w = w - lr * g / d
 * </pre>
 * State per parameter: {@code <param>.square_avg}, and {@code <param>.momentum_buffer} and
 * {@code <param>.grad_avg} when momentum or centering is on. Parameters on a CUDA device update
 * there ({@code rmsprop_f32}, the same arithmetic in float).
 */
public final class RmsProp implements Optimizer {
    private static final String WHO = "RMSProp";
    private static final int GRAIN = 1 << 15;

    /** Hyper-parameters (PyTorch's defaults: alpha 0.99, eps 1e-8, no momentum, not centered). */
    public record Config(double lr, double alpha, double eps, double momentum, boolean centered, double weightDecay) {
        public Config {
            if (!(lr >= 0)) throw new IllegalArgumentException("RMSProp: learning rate must be >= 0, got " + lr);
            if (!(alpha >= 0 && alpha < 1)) throw new IllegalArgumentException("RMSProp: alpha must be in [0, 1), got " + alpha);
            if (!(eps >= 0)) throw new IllegalArgumentException("RMSProp: eps must be >= 0, got " + eps);
            if (!(momentum >= 0)) throw new IllegalArgumentException("RMSProp: momentum must be >= 0, got " + momentum);
            if (!(weightDecay >= 0)) throw new IllegalArgumentException("RMSProp: weight decay must be >= 0, got " + weightDecay);
        }

        public static Config of(double lr) { return new Config(lr, 0.99, 1e-8, 0, false, 0); }

        public Config withMomentum(double m) { return new Config(lr, alpha, eps, m, centered, weightDecay); }

        public Config withCentered(boolean c) { return new Config(lr, alpha, eps, momentum, c, weightDecay); }

        public Config withWeightDecay(double wd) { return new Config(lr, alpha, eps, momentum, centered, wd); }
    }

    private final Config config;
    private final OptimizerState state;
    private final Update[] updates;     // CPU parameters; null where the parameter lives on a device
    private final Param[] params;       // every parameter; CUDA ones are updated by OptimizerCuda
    private final Tensor[] deviceState; // their square_avg, momentum_buffer, grad_avg triples (null when off)
    private double lr;
    private long steps;
    private float stepLr;

    public RmsProp(List<Param> params, Config config) {
        this.config = config;
        this.lr = config.lr();
        this.state = new OptimizerState(WHO, params);
        this.updates = new Update[params.size()];
        this.params = new Param[params.size()];
        this.deviceState = new Tensor[3 * params.size()];
        for (int i = 0; i < updates.length; i++) {
            Param p = params.get(i);
            this.params[i] = p;
            Tensor v = state.add(p, "square_avg");
            Tensor b = config.momentum() > 0 ? state.add(p, "momentum_buffer") : null;
            Tensor a = config.centered() ? state.add(p, "grad_avg") : null;
            if (p.value().device().isCpu()) {
                updates[i] = new Update(p.value().data(), p.grad().data(), v.data(), b == null ? null : b.data(),
                        a == null ? null : a.data());
            } else {
                OptimizerCuda.deviceOf(WHO, p);
                deviceState[3 * i] = v;
                deviceState[3 * i + 1] = b;
                deviceState[3 * i + 2] = a;
            }
        }
    }

    public RmsProp(List<Param> params, double lr) {
        this(params, Config.of(lr));
    }

    @Override public void step() {
        stepLr = (float) lr;
        for (int i = 0; i < updates.length; i++) {
            Update u = updates[i];
            Param p = params[i];
            if (u != null) {
                if (!p.value().device().isCpu()) throw OptimizerCuda.movedAfterBuild(WHO, p);
                Parallel.forRange(u.w.length, GRAIN, u);
            } else {
                OptimizerCuda.rmsprop(OptimizerCuda.deviceOf(WHO, p), p.value(), p.grad(), deviceState[3 * i],
                        deviceState[3 * i + 1], deviceState[3 * i + 2], stepLr, (float) config.alpha(),
                        (float) (1 - config.alpha()), (float) config.eps(), (float) config.momentum(),
                        (float) config.weightDecay());
            }
        }
        steps++;
    }

    /** One parameter's update loop, built once. */
    private final class Update implements Parallel.RangeBody {
        final float[] w;
        final float[] g;
        final float[] v;
        final float[] b;
        final float[] a;

        Update(float[] w, float[] g, float[] v, float[] b, float[] a) {
            this.w = w;
            this.g = g;
            this.v = v;
            this.b = b;
            this.a = a;
        }

        @Override public void run(int from, int to) {
            float lr = stepLr;
            float alpha = (float) config.alpha();
            float c = (float) (1 - config.alpha());
            float eps = (float) config.eps();
            float mom = (float) config.momentum();
            float wd = (float) config.weightDecay();
            for (int i = from; i < to; i++) {
                float gi = g[i] + wd * w[i];
                float vi = alpha * v[i] + c * gi * gi;
                v[i] = vi;
                float var = vi;
                if (a != null) {
                    float ai = alpha * a[i] + c * gi;
                    a[i] = ai;
                    var = vi - ai * ai;
                }
                float d = (float) Math.sqrt(var) + eps;
                if (b != null) {
                    float bi = mom * b[i] + gi / d;
                    b[i] = bi;
                    w[i] -= lr * bi;
                } else {
                    w[i] -= lr * gi / d;
                }
            }
        }
    }

    @Override public double learningRate() { return lr; }

    @Override public void setLearningRate(double lr) {
        if (!(lr >= 0)) throw new IllegalArgumentException("RMSProp: learning rate must be >= 0, got " + lr);
        this.lr = lr;
    }

    @Override public long steps() { return steps; }

    @Override public Map<String, Tensor> state() { return state.view(); }

    @Override public void loadState(Map<String, Tensor> saved, long steps) {
        OptimizerState.checkSteps("RMSProp", steps);
        state.load(saved);
        this.steps = steps;
    }
}
