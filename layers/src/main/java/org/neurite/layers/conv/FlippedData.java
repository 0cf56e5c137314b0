package org.neurite.layers.conv;

import org.neurite.runtime.Kernels;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Tensor;

/**
 * The input gradient of a stride-1 "same" convolution (pad = (R-1)/2, no groups, no dilation) as a
 * forward convolution of dY with the flipped, channel-transposed filters:
 * <pre>
 *   dX [N, C, H, W] = conv(dY [N, K, OH, OW], W' [C, K, R, S], pad R-1-pad),  W'[c,k,r,s] = W[k,c,R-1-r,S-1-s]
 * </pre>
 * The im2col engine's own backward multiplies W^T [C*R*S, K] by G [K, B*P], whose contraction is
 * only K (16 for ResNet's first stage: loads and stores of the product dominate), then scatters
 * the product back with col2im. The forward form contracts over K*R*S and writes dX once.
 * For other paddings the zero border of the flipped convolution is wasted work (LeNet's conv2,
 * 10x10 output and a 5x5 kernel, would run on a 18x18 grid), so they keep col2im.
 */
final class FlippedData {
    private static final int GRAIN = 1 << 15;       // floats per parallel chunk of the ReLU mask
    /**
     * Fewer input channels keep col2im: LeNet's conv1 (1 channel, 5x5) took 2.6 ms instead of 1.7
     * per batch-64 backward this way, its GEMM being 1 x 784 x 150.
     */
    static final int MIN_CHANNELS = 8;

    private final ConvGeometry g;
    private final ConvCpu op;                       // planned for dY -> dX
    private final Tensor wFlip;                     // W' [C, K, R, S]
    private Tensor masked;                          // dY * relu'(y) [N, K, OH, OW], with the fused ReLU

    /** Also at least {@link #MIN_CHANNELS} input channels: the flipped GEMM has C rows. */
    static boolean applies(ConvGeometry g) {
        return WideColumns.applies(g) && g.groups() == 1 && 2 * g.padH() == g.r() - 1 && 2 * g.padW() == g.s() - 1
                && g.c() >= MIN_CHANNELS;
    }

    FlippedData(ConvGeometry g) {
        if (!applies(g)) throw new IllegalArgumentException("flipped backward data does not apply to " + g);
        this.g = g;
        ConvGeometry t = new ConvGeometry(g.n(), g.k(), g.oh(), g.ow(), g.c(), g.r(), g.s(), 1, 1,
                g.r() - 1 - g.padH(), g.s() - 1 - g.padW(), 1, 1, 1, g.h(), g.w());
        this.op = new ConvCpu(t, false);
        this.wFlip = Tensor.zeros(g.c(), g.k(), g.r(), g.s());
    }

    /**
     * dX = the input gradient for dY (after the fused ReLU of output y when {@code relu}).
     * Returns the gradient it convolved: dY masked by relu'(y) (this object's buffer, valid until
     * the next call), or dY itself; the filter gradient reuses it instead of masking again.
     */
    Tensor run(Tensor dY, Tensor y, boolean relu, Tensor w, Tensor dX) {
        float[] wd = w.data(), fd = wFlip.data();
        int r = g.r(), s = g.s(), taps = r * s;
        for (int k = 0; k < g.k(); k++) {
            for (int c = 0; c < g.c(); c++) {
                int from = (k * g.c() + c) * taps, to = (c * g.k() + k) * taps;
                for (int t = 0; t < taps; t++) fd[to + t] = wd[from + taps - 1 - t];   // (r, s) -> (R-1-r, S-1-s)
            }
        }
        Tensor in = dY;
        if (relu && op.masksInPlace()) {    // masked sample by sample as the convolution reads it
            if (masked == null) masked = Tensor.zeros(dY.shape());
            op.forwardMasked(dY, y, masked, wFlip, dX);
            return masked;
        }
        if (relu) {
            if (masked == null) masked = Tensor.zeros(dY.shape());
            float[] yd = y.data(), gd = dY.data(), md = masked.data();
            Parallel.forRange(md.length, GRAIN, (i0, i1) -> Kernels.reluBackward(i1 - i0, yd, i0, gd, i0, md, i0));
            in = masked;
        }
        op.forward(in, wFlip, null, dX);
        return in;
    }
}
