package org.neurite.layers.optim;

import java.util.List;
import java.util.Map;
import org.neurite.layers.Param;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Tensor;

/**
 * AdaGrad (Duchi et al. 2011) as PyTorch's {@code torch.optim.Adagrad} steps it (no lr decay,
 * initial accumulator 0):
 * <pre>
 * g = grad + wd * w
 * s = s + g * g
 * w = w - lr * g / (sqrt(s) + eps)
 * </pre>
 * State per parameter: {@code <param>.sum}. Parameters on a CUDA device update there
 * ({@code adagrad_f32}, the same arithmetic in float).
 */
public final class AdaGrad implements Optimizer {
    private static final String WHO = "AdaGrad";
    private static final int GRAIN = 1 << 15;

    /** Hyper-parameters (PyTorch's defaults: eps 1e-10, no weight decay). */
    public record Config(double lr, double eps, double weightDecay) {
        public Config {
            if (!(lr >= 0)) throw new IllegalArgumentException("AdaGrad: learning rate must be >= 0, got " + lr);
            if (!(eps >= 0)) throw new IllegalArgumentException("AdaGrad: eps must be >= 0, got " + eps);
            if (!(weightDecay >= 0)) throw new IllegalArgumentException("AdaGrad: weight decay must be >= 0, got " + weightDecay);
        }

        public static Config of(double lr) { return new Config(lr, 1e-10, 0); }

        public Config withWeightDecay(double wd) { return new Config(lr, eps, wd); }
    }

    private final Config config;
    private final OptimizerState state;
    private final Update[] updates;     // CPU parameters; null where the parameter lives on a device
    private final Param[] params;       // every parameter; CUDA ones are updated by OptimizerCuda
    private final Tensor[] deviceSums;  // their sum tensors
    private double lr;
    private long steps;
    private float stepLr;
    private float eps;
    private float wd;

    public AdaGrad(List<Param> params, Config config) {
        this.config = config;
        this.lr = config.lr();
        this.state = new OptimizerState(WHO, params);
        this.updates = new Update[params.size()];
        this.params = new Param[params.size()];
        this.deviceSums = new Tensor[params.size()];
        for (int i = 0; i < updates.length; i++) {
            Param p = params.get(i);
            this.params[i] = p;
            Tensor sum = state.add(p, "sum");
            if (p.value().device().isCpu()) {
                updates[i] = new Update(p.value().data(), p.grad().data(), sum.data());
            } else {
                OptimizerCuda.deviceOf(WHO, p);
                deviceSums[i] = sum;
            }
        }
    }

    public AdaGrad(List<Param> params, double lr) {
        this(params, Config.of(lr));
    }

    @Override public void step() {
        stepLr = (float) lr;
        eps = (float) config.eps();
        wd = (float) config.weightDecay();
        for (int i = 0; i < updates.length; i++) {
            Update u = updates[i];
            Param p = params[i];
            if (u != null) {
                if (!p.value().device().isCpu()) throw OptimizerCuda.movedAfterBuild(WHO, p);
                Parallel.forRange(u.w.length, GRAIN, u);
            } else {
                OptimizerCuda.adagrad(OptimizerCuda.deviceOf(WHO, p), p.value(), p.grad(), deviceSums[i], stepLr, eps, wd);
            }
        }
        steps++;
    }

    /** One parameter's update loop, built once. */
    private final class Update implements Parallel.RangeBody {
        final float[] w;
        final float[] g;
        final float[] s;

        Update(float[] w, float[] g, float[] s) {
            this.w = w;
            this.g = g;
            this.s = s;
        }

        @Override public void run(int from, int to) {
            float lr = stepLr;
            float eps = AdaGrad.this.eps;
            float wd = AdaGrad.this.wd;
            for (int i = from; i < to; i++) {
                float gi = g[i] + wd * w[i];
                float si = s[i] + gi * gi;
                s[i] = si;
                w[i] -= lr * gi / ((float) Math.sqrt(si) + eps);
            }
        }
    }

    @Override public double learningRate() { return lr; }

    @Override public void setLearningRate(double lr) {
        if (!(lr >= 0)) throw new IllegalArgumentException("AdaGrad: learning rate must be >= 0, got " + lr);
        this.lr = lr;
    }

    @Override public long steps() { return steps; }

    @Override public Map<String, Tensor> state() { return state.view(); }

    @Override public void loadState(Map<String, Tensor> saved, long steps) {
        OptimizerState.checkSteps("AdaGrad", steps);
        state.load(saved);
        this.steps = steps;
    }
}
