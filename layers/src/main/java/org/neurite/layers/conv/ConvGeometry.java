package org.neurite.layers.conv;

import org.neurite.runtime.Shape;

/**
 * The sizes of one planned convolution: input {@code [n, c, h, w]}, filter {@code [k, c/groups, r, s]},
 * output {@code [n, k, oh, ow]}. Built by {@link #of}, which checks the input against the layer's
 * configuration; every engine plans from it.
 */
public record ConvGeometry(int n, int c, int h, int w, int k, int r, int s,
                           int strideH, int strideW, int padH, int padW,
                           int dilationH, int dilationW, int groups, int oh, int ow) {

    /** Geometry of {@code cfg} applied to an NCHW input; IllegalArgumentException naming the layer if it does not fit. */
    public static ConvGeometry of(Conv2d.Config cfg, Shape input) {
        if (input.rank() != 4) {
            throw new IllegalArgumentException(cfg.describe() + ": input " + input + " is not NCHW (rank 4)");
        }
        int c = input.dim(1);
        int h = input.dim(2);
        int w = input.dim(3);
        if (c != cfg.inChannels()) {
            throw new IllegalArgumentException(cfg.describe() + ": input " + input + " has " + c
                    + " channels, expected " + cfg.inChannels());
        }
        int oh = outSize(h, cfg.kernelH(), cfg.strideH(), cfg.padH(), cfg.dilationH());
        int ow = outSize(w, cfg.kernelW(), cfg.strideW(), cfg.padW(), cfg.dilationW());
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException(cfg.describe() + ": input " + input + " is too small: the "
                    + span(cfg.kernelH(), cfg.dilationH()) + "x" + span(cfg.kernelW(), cfg.dilationW())
                    + " receptive field does not fit in the padded " + (h + 2 * cfg.padH()) + "x"
                    + (w + 2 * cfg.padW()) + " input");
        }
        return new ConvGeometry(input.dim(0), c, h, w, cfg.outChannels(), cfg.kernelH(), cfg.kernelW(),
                cfg.strideH(), cfg.strideW(), cfg.padH(), cfg.padW(), cfg.dilationH(), cfg.dilationW(),
                cfg.groups(), oh, ow);
    }

    /** floor((in + 2 pad - dilation (kernel - 1) - 1) / stride) + 1, or 0 when the kernel does not fit. */
    static int outSize(int in, int kernel, int stride, int pad, int dilation) {
        int room = in + 2 * pad - span(kernel, dilation);
        return room < 0 ? 0 : room / stride + 1;
    }

    private static int span(int kernel, int dilation) {
        return dilation * (kernel - 1) + 1;
    }

    /** Input channels per group. */
    public int cg() { return c / groups; }

    /** Output channels (filters) per group. */
    public int kg() { return k / groups; }

    /** Rows of one group's im2col matrix: cg * r * s. */
    public int colRows() { return cg() * r * s; }

    public int inPixels() { return h * w; }

    public int outPixels() { return oh * ow; }

    /** A 1x1 filter with stride 1 and no padding: the input already is the im2col matrix. */
    public boolean isPointwise() {
        return r == 1 && s == 1 && strideH == 1 && strideW == 1 && padH == 0 && padW == 0;
    }

    public Shape inputShape() { return Shape.of(n, c, h, w); }

    public Shape filterShape() { return Shape.of(k, cg(), r, s); }

    public Shape outputShape() { return Shape.of(n, k, oh, ow); }
}
