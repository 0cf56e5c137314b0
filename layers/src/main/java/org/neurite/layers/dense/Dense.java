package org.neurite.layers.dense;

import java.util.List;
import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.layers.Param;
import org.neurite.layers.activation.Activation;
import org.neurite.layers.activation.FusesActivation;
import org.neurite.layers.init.Init;
import org.neurite.runtime.Device;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * A fully connected layer: Y[N, out] = X[N, in] * W^T + b, with weight {@code [out, in]} and bias
 * {@code [out]} (parameters {@code weight} and {@code bias}), the layout PyTorch uses.
 *
 * <p>The input must be {@code [N, in]}; put a {@code Flatten} in front of image-shaped inputs.
 * A ReLU that follows it in a {@link org.neurite.layers.Sequential} is fused into it on the CPU
 * ({@link FusesActivation}): the output is rectified in place and the gradient masked by y > 0,
 * bit for bit what the separate ReLU computes, without its output and gradient buffers.
 * <pre>{@code
 * Dense fc = new Dense(400, 120, rng);                                  // He uniform, with bias
 * Dense head = new Dense(Dense.Config.of(84, 10).withInit(Dense.WeightInit.XAVIER_UNIFORM), rng);
 * }</pre>
 */
public final class Dense extends Module implements FusesActivation {
    /** How the weight (and bias) start. */
    public enum WeightInit {
        /** He uniform U(-sqrt(6/in), sqrt(6/in)), zero bias: what ReLU networks want. */
        HE_UNIFORM,
        /** Glorot uniform U(-sqrt(6/(in+out)), +), zero bias: for tanh and sigmoid networks. */
        XAVIER_UNIFORM,
        /** PyTorch's nn.Linear default: weight and bias both U(-1/sqrt(in), 1/sqrt(in)). */
        PYTORCH_DEFAULT
    }

    /** The layer's configuration; {@link #of} gives the defaults (bias on, He uniform). */
    public record Config(int in, int out, boolean bias, WeightInit init) {
        public Config {
            if (in < 1 || out < 1) throw new IllegalArgumentException("Dense sizes must be >= 1, got in=" + in + ", out=" + out);
            if (init == null) throw new IllegalArgumentException("Dense: init is null");
        }

        public static Config of(int in, int out) {
            return new Config(in, out, true, WeightInit.HE_UNIFORM);
        }

        public Config withBias(boolean on) { return new Config(in, out, on, init); }

        public Config withInit(WeightInit how) { return new Config(in, out, bias, how); }
    }

    private final Config config;
    private final Param weight; // [out, in]
    private final Param bias;   // [out], or null without bias
    private final List<Param> params;   // built once: zeroGrad asks for it every step
    private DenseOp op;
    private Device opDevice;

    private Tensor input;     // [N, in], the last forward's input (not copied)
    private Tensor output;    // [N, out]
    private Tensor gradInput; // [N, in]
    private Tensor masked;    // [N, out]: dY * relu'(y), with a fused ReLU
    private boolean fusedRelu;      // a following ReLU was fused into this layer
    private boolean reluApplied;    // the last forward applied it (the engine fuses)

    /** A dense layer with bias and He uniform weights. */
    public Dense(int in, int out, Rng rng) {
        this(Config.of(in, out), rng);
    }

    public Dense(Config config, Rng rng) {
        this.config = config;
        Tensor w = Tensor.zeros(config.out(), config.in());
        Tensor b = config.bias() ? Tensor.zeros(config.out()) : null;
        switch (config.init()) {
            case HE_UNIFORM -> Init.heUniform(w, config.in(), rng);
            case XAVIER_UNIFORM -> Init.xavierUniform(w, config.in(), config.out(), rng);
            case PYTORCH_DEFAULT -> {
                Init.fanInUniform(w, config.in(), rng);
                if (b != null) Init.fanInUniform(b, config.in(), rng);
            }
        }
        this.weight = Param.of("weight", w);
        this.bias = b == null ? null : Param.of("bias", b);
        this.params = bias == null ? List.of(weight) : List.of(weight, bias);
    }

    public Config config() { return config; }

    public Param weight() { return weight; }

    /** The bias parameter, or null when the layer has none. */
    public Param bias() { return bias; }

    @Override public Shape outputShape(Shape inputShape) {
        checkInput(inputShape);
        return Shape.of(inputShape.dim(0), config.out());
    }

    @Override public Tensor forward(Tensor x, Mode mode) {
        checkInput(x.shape());
        int n = x.shape().dim(0);
        // Compared by batch size rather than by a new Shape, so a step allocates nothing.
        if (output == null || output.shape().dim(0) != n || output.device() != x.device()) output = Tensor.zeros(Shape.of(n, config.out()), x.device());
        if (op == null || opDevice != x.device()) {
            op = DenseOp.forDevice(x.device());
            opDevice = x.device();
        }
        input = x;
        op.forward(x, weight.value(), bias == null ? null : bias.value(), output);
        reluApplied = fusedRelu && op.fusesRelu();
        if (reluApplied) op.relu(output);
        return output;
    }

    @Override public boolean fuseActivation(Activation activation) {
        if (activation.kind() != Activation.Kind.RELU || fusedRelu) return false;
        fusedRelu = true;
        return true;
    }

    @Override public boolean isFusedOutput(Tensor t) {
        return reluApplied && t == output;
    }

    @Override public Tensor backward(Tensor dY) {
        if (input == null) throw new IllegalStateException(describe() + ": backward before forward");
        if (!dY.shape().equals(output.shape())) {
            throw new IllegalArgumentException(describe() + ": gradient " + dY.shape() + " does not match output " + output.shape());
        }
        if (reluApplied) {
            if (!Tensor.fits(masked, output.shape(), output.device())) masked = Tensor.zeros(output.shape(), output.device());
            op.reluGradient(output, dY, masked);
            dY = masked;
        }
        op.backwardWeights(dY, input, weight.grad());
        if (bias != null) op.backwardBias(dY, bias.grad());
        if (!needsInputGrad) return null;
        if (!Tensor.fits(gradInput, input.shape(), input.device())) gradInput = Tensor.zeros(input.shape(), input.device());
        op.backwardData(dY, weight.value(), gradInput);
        return gradInput;
    }

    @Override public List<Param> params() {
        return params;
    }

    @Override public String describe() {
        return "Dense(" + config.in() + " -> " + config.out() + (config.bias() ? "" : ", no bias") + ")";
    }

    private void checkInput(Shape s) {
        if (s.rank() != 2 || s.dim(1) != config.in()) {
            throw new IllegalArgumentException(describe() + " expects input [N, " + config.in() + "], got " + s
                    + (s.rank() > 2 ? "; put a Flatten before it" : ""));
        }
    }
}
