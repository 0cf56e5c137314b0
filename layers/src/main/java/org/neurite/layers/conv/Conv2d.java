package org.neurite.layers.conv;

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
 * 2-D convolution over NCHW input (cross-correlation, as PyTorch and cuDNN compute it) with stride,
 * zero padding, dilation and groups (groups == inChannels == outChannels is depthwise).
 * Parameters {@code weight [K, C/groups, R, S]} and {@code bias [K]}.
 *
 * <pre>{@code
 * Conv2d conv1 = new Conv2d(Conv2d.config(1, 6, 5).padding(2).build(), rng);            // LeNet C1
 * Conv2d dw = new Conv2d(Conv2d.config(32, 32, 3).padding(1).groups(32).noBias().build(), rng);
 * }</pre>
 *
 * <p>Initialisation follows PyTorch's default in scale: the weight is He/Kaiming uniform,
 * U(-sqrt(6/fanIn), sqrt(6/fanIn)) with fanIn = C/groups*R*S (the ReLU gain, which the benchmarks
 * assume; PyTorch's own default uses a = sqrt(5), a bound sqrt(3) times smaller), and the bias is
 * U(-1/sqrt(fanIn), 1/sqrt(fanIn)) exactly as PyTorch does.
 *
 * <p>The work is done by a {@link ConvOp} planned for each new input shape; the output and the
 * gradients belong to this module and are reused while the shape stays the same.
 *
 * <p>A ReLU that follows it in a {@link org.neurite.layers.Sequential} is fused into it (see
 * {@link FusesActivation}): the engine adds the bias and applies the ReLU while writing the output,
 * and applies relu' while reading the gradient, bit for bit what the separate ReLU computes.
 */
public final class Conv2d extends Module implements FusesActivation {

    /** The immutable configuration; build it with {@link Conv2d#config(int, int, int)}. */
    public record Config(int inChannels, int outChannels, int kernelH, int kernelW,
                         int strideH, int strideW, int padH, int padW,
                         int dilationH, int dilationW, int groups, boolean bias) {
        public Config {
            require(inChannels > 0 && outChannels > 0, "channels must be positive");
            require(kernelH > 0 && kernelW > 0, "kernel must be positive");
            require(strideH > 0 && strideW > 0, "stride must be positive");
            require(padH >= 0 && padW >= 0, "padding must be >= 0");
            require(dilationH > 0 && dilationW > 0, "dilation must be positive");
            require(groups > 0 && inChannels % groups == 0 && outChannels % groups == 0,
                    "groups " + groups + " must divide inChannels " + inChannels + " and outChannels " + outChannels);
        }

        /** "Conv2d(6->16, 5x5)", naming only what differs from the defaults. */
        public String describe() {
            StringBuilder b = new StringBuilder("Conv2d(").append(inChannels).append("->").append(outChannels)
                    .append(", ").append(kernelH).append('x').append(kernelW);
            if (strideH != 1 || strideW != 1) b.append(", stride ").append(pair(strideH, strideW));
            if (padH != 0 || padW != 0) b.append(", pad ").append(pair(padH, padW));
            if (dilationH != 1 || dilationW != 1) b.append(", dilation ").append(pair(dilationH, dilationW));
            if (groups != 1) b.append(", groups ").append(groups);
            if (!bias) b.append(", no bias");
            return b.append(')').toString();
        }

        private static String pair(int h, int w) {
            return h == w ? Integer.toString(h) : h + "x" + w;
        }

        private static void require(boolean ok, String message) {
            if (!ok) throw new IllegalArgumentException("Conv2d config: " + message);
        }
    }

    /** Named setters for {@link Config}; defaults: stride 1, padding 0, dilation 1, groups 1, bias on. */
    public static final class Builder {
        private final int in;
        private final int out;
        private int kh, kw;
        private int sh = 1, sw = 1, ph, pw, dh = 1, dw = 1, groups = 1;
        private boolean bias = true;

        private Builder(int in, int out, int kernel) {
            this.in = in;
            this.out = out;
            this.kh = kernel;
            this.kw = kernel;
        }

        public Builder kernel(int h, int w) { kh = h; kw = w; return this; }
        public Builder stride(int s) { return stride(s, s); }
        public Builder stride(int h, int w) { sh = h; sw = w; return this; }
        public Builder padding(int p) { return padding(p, p); }
        public Builder padding(int h, int w) { ph = h; pw = w; return this; }
        public Builder dilation(int d) { return dilation(d, d); }
        public Builder dilation(int h, int w) { dh = h; dw = w; return this; }
        public Builder groups(int g) { groups = g; return this; }
        public Builder bias(boolean on) { bias = on; return this; }
        public Builder noBias() { return bias(false); }

        public Config build() {
            return new Config(in, out, kh, kw, sh, sw, ph, pw, dh, dw, groups, bias);
        }
    }

    /** A config builder for a square {@code kernel}; change it with {@link Builder#kernel(int, int)}. */
    public static Builder config(int inChannels, int outChannels, int kernel) {
        return new Builder(inChannels, outChannels, kernel);
    }

    private final Config config;
    private final Param weight;     // [K, C/groups, R, S]
    private final Param bias;       // [K], or null
    private final List<Param> params;

    private Shape opShape;          // the input shape op was planned for (kept: a step allocates nothing)
    private ConvOp op;              // planned for the last input shape
    private Device opDevice;        // ... and device
    private Tensor y;               // [N, K, OH, OW]
    private Tensor dX;              // [N, C, H, W]
    private Tensor input;           // the input of the last forward
    private boolean fusedRelu;      // a following ReLU was fused into this layer
    private boolean reluApplied;    // the last forward applied it (the engine fuses)

    /** A convolution with freshly initialised parameters (see the class comment for the init). */
    public Conv2d(Config config, Rng rng) {
        this.config = config;
        int fanIn = config.inChannels() / config.groups() * config.kernelH() * config.kernelW();
        Tensor w = Tensor.zeros(config.outChannels(), config.inChannels() / config.groups(), config.kernelH(), config.kernelW());
        Init.heUniform(w, fanIn, rng);
        this.weight = Param.of("weight", w);
        if (config.bias()) {
            Tensor b = Tensor.zeros(config.outChannels());
            Init.fanInUniform(b, fanIn, rng);
            this.bias = Param.of("bias", b);
        } else {
            this.bias = null;
        }
        this.params = bias == null ? List.of(weight) : List.of(weight, bias);
    }

    public Config config() { return config; }

    public Param weight() { return weight; }

    /** The bias, or null when the config has none. */
    public Param bias() { return bias; }

    @Override public Shape outputShape(Shape inputShape) {
        return ConvGeometry.of(config, inputShape).outputShape();
    }

    @Override public Tensor forward(Tensor x, Mode mode) {
        if (op == null || !opShape.equals(x.shape()) || opDevice != x.device()) plan(x);
        reluApplied = fusedRelu && op.fusesRelu();
        op.forward(x, weight.value(), bias == null ? null : bias.value(), y, reluApplied);
        input = x;
        return y;
    }

    @Override public boolean fuseActivation(Activation activation) {
        if (activation.kind() != Activation.Kind.RELU || fusedRelu) return false;
        fusedRelu = true;
        return true;
    }

    @Override public boolean isFusedOutput(Tensor t) {
        return reluApplied && t == y;
    }

    @Override public Tensor backward(Tensor dY) {
        if (input == null) throw new IllegalStateException(describe() + ": backward before forward");
        if (!dY.shape().equals(y.shape())) {
            throw new IllegalArgumentException(describe() + ": gradient " + dY.shape() + " does not match output " + y.shape());
        }
        if (needsInputGrad && !Tensor.fits(dX, input.shape(), input.device())) dX = Tensor.zeros(input.shape(), input.device());
        op.backward(input, y, dY, weight.value(), reluApplied, needsInputGrad ? dX : null, weight.grad(),
                bias == null ? null : bias.grad());
        return needsInputGrad ? dX : null;
    }

    private void plan(Tensor x) {
        op = ConvOp.plan(ConvGeometry.of(config, x.shape()), x.device());
        opDevice = x.device();
        opShape = x.shape();
        ConvGeometry g = op.geometry();
        if (!Tensor.fits(y, g.outputShape(), x.device())) y = Tensor.zeros(g.outputShape(), x.device());
    }

    @Override public List<Param> params() {
        return params;
    }

    @Override public String describe() { return config.describe(); }
}
