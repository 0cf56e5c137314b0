package org.neurite.layers.pool;

import org.neurite.runtime.Shape;

/**
 * The sizes of one planned pooling: input {@code [n, c, h, w]}, window {@code kh x kw} moved by
 * {@code sh, sw} over the input padded by {@code ph, pw}, output {@code [n, c, oh, ow]} with
 * oh = floor((h + 2 ph - kh) / sh) + 1 (PyTorch's default, ceil_mode off).
 */
public record PoolGeometry(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow) {

    /** Geometry of {@code cfg} on an NCHW input; IllegalArgumentException naming {@code layer} if it does not fit. */
    public static PoolGeometry of(String layer, Pool2d.Config cfg, Shape input) {
        if (input.rank() != 4) throw new IllegalArgumentException(layer + ": input " + input + " is not NCHW (rank 4)");
        int h = input.dim(2), w = input.dim(3);
        int roomH = h + 2 * cfg.padH() - cfg.kernelH(), roomW = w + 2 * cfg.padW() - cfg.kernelW();
        if (roomH < 0 || roomW < 0) {
            throw new IllegalArgumentException(layer + ": input " + input + " is too small: the " + cfg.kernelH() + "x"
                    + cfg.kernelW() + " window does not fit in the padded " + (h + 2 * cfg.padH()) + "x" + (w + 2 * cfg.padW()) + " input");
        }
        return new PoolGeometry(input.dim(0), input.dim(1), h, w, cfg.kernelH(), cfg.kernelW(), cfg.strideH(), cfg.strideW(),
                cfg.padH(), cfg.padW(), roomH / cfg.strideH() + 1, roomW / cfg.strideW() + 1);
    }

    /** Number of (sample, channel) planes: the unit of parallel work. */
    public int planes() { return n * c; }

    public int inPixels() { return h * w; }

    public int outPixels() { return oh * ow; }

    public Shape inputShape() { return Shape.of(n, c, h, w); }

    public Shape outputShape() { return Shape.of(n, c, oh, ow); }
}
