package org.neurite.layers.lenet1998;

import java.util.List;
import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.layers.Param;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * LeNet-5's trainable subsampling (S2, S4 of LeCun et al. 1998): each map sums its non-overlapping
 * 2x2 windows, multiplies the sum by a trainable coefficient and adds a trainable bias,
 * {@code y[n,c,i,j] = weight[c] * sum(x[n, c, 2i..2i+1, 2j..2j+1]) + bias[c]}: two parameters per
 * map. The paper then squashes the result; put a {@link ScaledTanh} after this layer.
 *
 * <pre>{@code
 * Subsampling s2 = new Subsampling(6);   // 6@28x28 -> 6@14x14, 12 parameters
 * }</pre>
 *
 * <p>The coefficient starts at 1/4 (an average) and the bias at 0. A CUDA input runs
 * {@link SubsamplingCuda}.
 */
public final class Subsampling extends Module {
    private final int channels;
    private final Param weight; // [C]
    private final Param bias;   // [C]

    private Tensor input;       // [N, C, H, W], the last forward's input
    private Tensor y;           // [N, C, H/2, W/2]
    private Tensor dX;          // [N, C, H, W]
    private Tensor windowSums;  // [N, C, H/2, W/2], kept for the coefficient's gradient
    private SubsamplingCuda cuda;   // the engine of a CUDA input
    private float[] dYd;        // the current backward's gradient, read by the loop body
    private float[] dWPlane;    // [N*C] per-plane partial sums, reduced serially for determinism
    private float[] dBPlane;    // [N*C]
    private final Parallel.RangeBody forwardBody = this::forwardPlanes;
    private final Parallel.RangeBody backwardBody = this::backwardPlanes;

    public Subsampling(int channels) {
        if (channels < 1) throw new IllegalArgumentException("Subsampling: channels must be >= 1, got " + channels);
        this.channels = channels;
        Tensor w = Tensor.zeros(channels);
        w.fill(0.25f);
        this.weight = Param.of("weight", w);
        this.bias = Param.of("bias", Tensor.zeros(channels));
    }

    public Param weight() { return weight; }

    public Param bias() { return bias; }

    @Override public Shape outputShape(Shape in) {
        if (in.rank() != 4 || in.dim(1) != channels || in.dim(2) % 2 != 0 || in.dim(3) % 2 != 0) {
            throw new IllegalArgumentException(describe() + ": input " + in + " is not [N, " + channels + ", even H, even W]");
        }
        return Shape.of(in.dim(0), channels, in.dim(2) / 2, in.dim(3) / 2);
    }

    @Override public Tensor forward(Tensor x, Mode mode) {
        Shape out = outputShape(x.shape());
        if (!x.device().isCpu()) {
            if (cuda == null || cuda.device() != x.device()) cuda = SubsamplingCuda.on(x.device());
            if (!Tensor.fits(y, out, x.device())) {
                y = Tensor.zeros(out, x.device());
                windowSums = Tensor.zeros(out, x.device());
            }
            input = x;
            cuda.forward(x, weight.value(), bias.value(), windowSums, y);
            return y;
        }
        if (!Tensor.fits(y, out, x.device())) {
            y = Tensor.zeros(out);
            windowSums = Tensor.zeros(out);
            dWPlane = new float[out.dim(0) * channels];
            dBPlane = new float[out.dim(0) * channels];
        }
        input = x;
        Parallel.forRange(out.dim(0) * channels, 1, forwardBody);
        return y;
    }

    private void forwardPlanes(int from, int to) {
        // x: [N, C, H, W] -> y: [N, C, OH, OW], one plane (n, c) per index
        float[] x = input.data(), ys = y.data(), sums = windowSums.data(), w = weight.value().data(), b = bias.value().data();
        int h = input.shape().dim(2), wd = input.shape().dim(3), oh = h / 2, ow = wd / 2;
        for (int p = from; p < to; p++) {
            int c = p % channels;
            int xo = p * h * wd, yo = p * oh * ow;
            for (int i = 0; i < oh; i++) {
                int r0 = xo + 2 * i * wd, r1 = r0 + wd;
                for (int j = 0; j < ow; j++) {
                    float s = x[r0 + 2 * j] + x[r0 + 2 * j + 1] + x[r1 + 2 * j] + x[r1 + 2 * j + 1];
                    sums[yo + i * ow + j] = s;
                    ys[yo + i * ow + j] = w[c] * s + b[c];
                }
            }
        }
    }

    @Override public Tensor backward(Tensor dY) {
        if (input == null) throw new IllegalStateException(describe() + ": backward before forward");
        if (!dY.shape().equals(y.shape())) {
            throw new IllegalArgumentException(describe() + ": gradient " + dY.shape() + " does not match output " + y.shape());
        }
        if (needsInputGrad && !Tensor.fits(dX, input.shape(), input.device())) dX = Tensor.zeros(input.shape(), input.device());
        if (!input.device().isCpu()) {
            cuda.backward(dY, weight.value(), windowSums, input.shape(), needsInputGrad ? dX : null, weight.grad(), bias.grad());
            return needsInputGrad ? dX : null;
        }
        dYd = dY.data();
        int planes = y.shape().dim(0) * channels;
        Parallel.forRange(planes, 1, backwardBody);
        dYd = null;
        float[] dW = weight.grad().data(), dB = bias.grad().data();
        for (int p = 0; p < planes; p++) { // fixed order: the same sums for any thread count
            dW[p % channels] += dWPlane[p];
            dB[p % channels] += dBPlane[p];
        }
        return needsInputGrad ? dX : null;
    }

    private void backwardPlanes(int from, int to) {
        float[] sums = windowSums.data(), w = weight.value().data();
        float[] dx = needsInputGrad ? dX.data() : null;
        int h = input.shape().dim(2), wd = input.shape().dim(3), oh = h / 2, ow = wd / 2;
        for (int p = from; p < to; p++) {
            int c = p % channels;
            int xo = p * h * wd, yo = p * oh * ow;
            float dw = 0, db = 0;
            for (int i = 0; i < oh; i++) {
                int r0 = xo + 2 * i * wd, r1 = r0 + wd;
                for (int j = 0; j < ow; j++) {
                    float g = dYd[yo + i * ow + j];
                    dw += g * sums[yo + i * ow + j];
                    db += g;
                    if (dx != null) {
                        float gx = g * w[c];
                        dx[r0 + 2 * j] = gx;
                        dx[r0 + 2 * j + 1] = gx;
                        dx[r1 + 2 * j] = gx;
                        dx[r1 + 2 * j + 1] = gx;
                    }
                }
            }
            dWPlane[p] = dw;
            dBPlane[p] = db;
        }
    }

    @Override public List<Param> params() { return List.of(weight, bias); }

    @Override public String describe() { return "Subsampling(" + channels + " maps, 2x2, coefficient + bias)"; }
}
