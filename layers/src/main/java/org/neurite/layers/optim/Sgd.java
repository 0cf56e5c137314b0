package org.neurite.layers.optim;

import java.util.List;
import java.util.Map;
import org.neurite.layers.Param;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Tensor;

/**
 * Stochastic gradient descent with momentum, Nesterov momentum and L2 weight decay, following
 * PyTorch's {@code torch.optim.SGD} (dampening 0) step for step:
 * <pre>
 * g = grad + wd * w
 * v = mu * v + g                      (v starts at 0, so the first v is g, as in PyTorch)
 * g = nesterov ? g + mu * v : v
 * w = w - lr * g
 * </pre>
 * State: {@code <param>.momentum} per parameter when momentum is on.
 * <pre>{@code
 * Optimizer opt = new Sgd(model.params(), Sgd.Config.of(0.01).withMomentum(0.9));
 * }</pre>
 */
public final class Sgd implements Optimizer {
    private static final String WHO = "Sgd";
    /** Elements per parallel chunk: an update is a few flops per element, memory-bound. */
    private static final int GRAIN = 1 << 15;

    /** Hyper-parameters; {@link #of} is plain SGD. */
    public record Config(double lr, double momentum, boolean nesterov, double weightDecay) {
        public Config {
            if (!(lr >= 0)) throw new IllegalArgumentException("Sgd: learning rate must be >= 0, got " + lr);
            if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("Sgd: momentum must be in [0, 1), got " + momentum);
            if (!(weightDecay >= 0)) throw new IllegalArgumentException("Sgd: weight decay must be >= 0, got " + weightDecay);
            if (nesterov && momentum == 0) throw new IllegalArgumentException("Sgd: Nesterov momentum needs momentum > 0");
        }

        public static Config of(double lr) { return new Config(lr, 0, false, 0); }

        public Config withMomentum(double mu) { return new Config(lr, mu, nesterov, weightDecay); }

        public Config withNesterov(boolean on) { return new Config(lr, momentum, on, weightDecay); }

        public Config withWeightDecay(double wd) { return new Config(lr, momentum, nesterov, wd); }
    }

    private final Config config;
    private final OptimizerState state;
    private final Update[] updates;     // CPU parameters; null where the parameter lives on a device
    private final Param[] params;       // every parameter; CUDA ones are updated by OptimizerCuda
    private final Tensor[] deviceMomentum;
    private double lr;
    private long steps;
    // This step's scalars, read by every Update.
    private float stepLr;
    private float mu;
    private float wd;

    public Sgd(List<Param> params, Config config) {
        this.config = config;
        this.lr = config.lr();
        this.state = new OptimizerState(WHO, params);
        this.updates = new Update[params.size()];
        this.params = new Param[params.size()];
        this.deviceMomentum = new Tensor[params.size()];
        for (int i = 0; i < updates.length; i++) {
            Param p = params.get(i);
            this.params[i] = p;
            Tensor v = config.momentum() > 0 ? state.add(p, "momentum") : null;
            if (p.value().device().isCpu()) {
                updates[i] = new Update(p.value().data(), p.grad().data(), v == null ? null : v.data());
            } else {
                OptimizerCuda.deviceOf(WHO, p);
                deviceMomentum[i] = v;
            }
        }
    }

    /** SGD with momentum {@code mu} (0 for none). */
    public Sgd(List<Param> params, double lr, double mu) {
        this(params, Config.of(lr).withMomentum(mu));
    }

    public Config config() { return config; }

    @Override public void step() {
        stepLr = (float) lr;
        mu = (float) config.momentum();
        wd = (float) config.weightDecay();
        for (int i = 0; i < updates.length; i++) {
            Update u = updates[i];
            if (u != null) {
                if (!params[i].value().device().isCpu()) throw OptimizerCuda.movedAfterBuild(WHO, params[i]);
                Parallel.forRange(u.w.length, GRAIN, u);
            } else {
                Param p = params[i];
                OptimizerCuda.sgd(OptimizerCuda.deviceOf(WHO, p), p.value(), p.grad(), deviceMomentum[i], stepLr, mu, wd,
                        config.nesterov());
            }
        }
        steps++;
    }

    /** One parameter's update loop; allocated once, so a step allocates nothing. */
    private final class Update implements Parallel.RangeBody {
        final float[] w;
        final float[] g;
        final float[] v; // null without momentum

        Update(float[] w, float[] g, float[] v) {
            this.w = w;
            this.g = g;
            this.v = v;
        }

        @Override public void run(int from, int to) {
            float lr = stepLr;
            float mu = Sgd.this.mu;
            float wd = Sgd.this.wd;
            if (v == null) {
                for (int i = from; i < to; i++) w[i] -= lr * (g[i] + wd * w[i]);
            } else if (config.nesterov()) {
                for (int i = from; i < to; i++) {
                    float gi = g[i] + wd * w[i];
                    float vi = mu * v[i] + gi;
                    v[i] = vi;
                    w[i] -= lr * (gi + mu * vi);
                }
            } else {
                for (int i = from; i < to; i++) {
                    float gi = g[i] + wd * w[i];
                    float vi = mu * v[i] + gi;
                    v[i] = vi;
                    w[i] -= lr * vi;
                }
            }
        }
    }

    @Override public double learningRate() { return lr; }

    @Override public void setLearningRate(double lr) {
        if (!(lr >= 0)) throw new IllegalArgumentException("Sgd: learning rate must be >= 0, got " + lr);
        this.lr = lr;
    }

    @Override public long steps() { return steps; }

    @Override public Map<String, Tensor> state() { return state.view(); }

    @Override public void loadState(Map<String, Tensor> saved, long steps) {
        OptimizerState.checkSteps(WHO, steps);
        state.load(saved);
        this.steps = steps;
    }
}
