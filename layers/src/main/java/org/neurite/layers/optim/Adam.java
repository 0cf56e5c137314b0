package org.neurite.layers.optim;

import java.util.List;
import java.util.Map;
import org.neurite.layers.Param;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Tensor;

/**
 * Adam (Kingma and Ba 2015) and AdamW (Loshchilov and Hutter 2019), following PyTorch's
 * {@code torch.optim.Adam} / {@code AdamW} step for step. At step t (1-based):
 * <pre>
 * AdamW:  w = w - lr * wd * w                  (decoupled decay, before the update)
 * Adam:   g = grad + wd * w                    (L2 decay folded into the gradient)
 * m = b1 * m + (1 - b1) * g
 * v = b2 * v + (1 - b2) * g * g
 * w = w - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 * so the first step moves each weight by about lr * sign(g). State per parameter:
 * {@code <param>.exp_avg} (m) and {@code <param>.exp_avg_sq} (v); t is {@link #steps()}.
 * <pre>{@code
 * Optimizer adam = new Adam(model.params(), 0.002);
 * Optimizer adamW = new Adam(model.params(), Adam.Config.adamW(1e-3, 0.01));
 * }</pre>
 */
public final class Adam implements Optimizer {
    private static final int GRAIN = 1 << 15;

    /** Hyper-parameters; {@code decoupled} selects AdamW's weight decay. */
    public record Config(double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        public Config {
            if (!(lr >= 0)) throw new IllegalArgumentException("Adam: learning rate must be >= 0, got " + lr);
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("Adam: betas must be in [0, 1), got " + beta1 + ", " + beta2);
            }
            if (!(eps >= 0)) throw new IllegalArgumentException("Adam: eps must be >= 0, got " + eps);
            if (!(weightDecay >= 0)) throw new IllegalArgumentException("Adam: weight decay must be >= 0, got " + weightDecay);
        }

        /** Adam with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay. */
        public static Config adam(double lr) { return new Config(lr, 0.9, 0.999, 1e-8, 0, false); }

        /** AdamW with PyTorch's betas and eps and decoupled weight decay {@code wd} (PyTorch's default is 0.01). */
        public static Config adamW(double lr, double wd) { return new Config(lr, 0.9, 0.999, 1e-8, wd, true); }

        public Config withBetas(double b1, double b2) { return new Config(lr, b1, b2, eps, weightDecay, decoupled); }

        public Config withEps(double e) { return new Config(lr, beta1, beta2, e, weightDecay, decoupled); }

        /** L2 weight decay for Adam, decoupled decay for AdamW. */
        public Config withWeightDecay(double wd) { return new Config(lr, beta1, beta2, eps, wd, decoupled); }
    }

    private final Config config;
    private final String who;
    private final OptimizerState state;
    private final Update[] updates;     // CPU parameters; null where the parameter lives on a device
    private final Param[] params;       // every parameter; CUDA ones are updated by OptimizerCuda
    private final Tensor[] deviceMoments; // their exp_avg, exp_avg_sq pairs
    private double lr;
    private long steps;
    // This step's scalars, read by every Update.
    private float b1;
    private float b2;
    private float c1;         // 1 - b1, rounded once from double (1 - 0.999f is not 0.001f)
    private float c2;         // 1 - b2
    private float eps;
    private float l2;         // weight decay added to g (Adam)
    private float keep;       // 1 - lr * wd (AdamW), else 1
    private float stepSize;   // lr / (1 - b1^t)
    private float invSqrtBc2; // 1 / sqrt(1 - b2^t)

    public Adam(List<Param> params, Config config) {
        this.config = config;
        this.who = config.decoupled() ? "AdamW" : "Adam";
        this.lr = config.lr();
        this.state = new OptimizerState(who, params);
        this.updates = new Update[params.size()];
        this.params = new Param[params.size()];
        this.deviceMoments = new Tensor[2 * params.size()];
        for (int i = 0; i < updates.length; i++) {
            Param p = params.get(i);
            this.params[i] = p;
            Tensor m = state.add(p, "exp_avg");
            Tensor v = state.add(p, "exp_avg_sq");
            if (p.value().device().isCpu()) {
                updates[i] = new Update(p.value().data(), p.grad().data(), m.data(), v.data());
            } else {
                OptimizerCuda.deviceOf(who, p);
                deviceMoments[2 * i] = m;
                deviceMoments[2 * i + 1] = v;
            }
        }
    }

    /** Adam with PyTorch's defaults. */
    public Adam(List<Param> params, double lr) {
        this(params, Config.adam(lr));
    }

    public Config config() { return config; }

    @Override public void step() {
        long t = steps + 1;
        b1 = (float) config.beta1();
        b2 = (float) config.beta2();
        c1 = (float) (1 - config.beta1());
        c2 = (float) (1 - config.beta2());
        eps = (float) config.eps();
        l2 = config.decoupled() ? 0f : (float) config.weightDecay();
        keep = config.decoupled() ? (float) (1 - lr * config.weightDecay()) : 1f;
        stepSize = (float) (lr / (1 - Math.pow(config.beta1(), t)));
        invSqrtBc2 = (float) (1 / Math.sqrt(1 - Math.pow(config.beta2(), t)));
        for (int i = 0; i < updates.length; i++) {
            Update u = updates[i];
            if (u != null) {
                if (!params[i].value().device().isCpu()) throw OptimizerCuda.movedAfterBuild(who, params[i]);
                Parallel.forRange(u.w.length, GRAIN, u);
            } else {
                Param p = params[i];
                OptimizerCuda.adam(OptimizerCuda.deviceOf(who, p), p.value(), p.grad(), deviceMoments[2 * i],
                        deviceMoments[2 * i + 1], (float) lr, b1, b2, eps, (float) config.weightDecay(),
                        (float) (1 - Math.pow(config.beta1(), t)), (float) (1 - Math.pow(config.beta2(), t)), config.decoupled());
            }
        }
        steps = t;
    }

    /** One parameter's update loop; allocated once, so a step allocates nothing. */
    private final class Update implements Parallel.RangeBody {
        final float[] w;
        final float[] g;
        final float[] m;
        final float[] v;

        Update(float[] w, float[] g, float[] m, float[] v) {
            this.w = w;
            this.g = g;
            this.m = m;
            this.v = v;
        }

        @Override public void run(int from, int to) {
            float b1 = Adam.this.b1;
            float b2 = Adam.this.b2;
            float c1 = Adam.this.c1;
            float c2 = Adam.this.c2;
            float eps = Adam.this.eps;
            float l2 = Adam.this.l2;
            float keep = Adam.this.keep;
            float stepSize = Adam.this.stepSize;
            float invSqrtBc2 = Adam.this.invSqrtBc2;
            for (int i = from; i < to; i++) {
                float wi = w[i] * keep;
                float gi = g[i] + l2 * wi;
                float mi = b1 * m[i] + c1 * gi;
                float vi = b2 * v[i] + c2 * gi * gi;
                m[i] = mi;
                v[i] = vi;
                w[i] = wi - stepSize * mi / ((float) Math.sqrt(vi) * invSqrtBc2 + eps);
            }
        }
    }

    @Override public double learningRate() { return lr; }

    @Override public void setLearningRate(double lr) {
        if (!(lr >= 0)) throw new IllegalArgumentException(who + ": learning rate must be >= 0, got " + lr);
        this.lr = lr;
    }

    @Override public long steps() { return steps; }

    @Override public Map<String, Tensor> state() { return state.view(); }

    @Override public void loadState(Map<String, Tensor> saved, long steps) {
        OptimizerState.checkSteps(who, steps);
        state.load(saved);
        this.steps = steps;
    }
}
