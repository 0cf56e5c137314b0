package org.neurite.layers.conv;

import java.util.Arrays;

/**
 * im2col for stride-1, undilated convolutions, on the (zero-padded) input's own grid. Output pixel
 * (i, j) becomes GEMM column {@code i*PW + j}, PW the padded input width; then tap (c, r, s) reads
 * input {@code c*HP*PW + r*PW + s + m} for column m: one contiguous run of the input per tap, so
 * im2col is one arraycopy per tap and col2im one vector add per tap, instead of a short copy per
 * tap and output row (LeNet's conv2 has 10-pixel rows: 150 x 10 copies per sample).
 * The price: the {@code PW - OW} columns past each output row but the last are computed and thrown
 * away, {@link #pixels} = (OH-1)*PW + OW per sample (conv2 136 for 100, conv1 892 for 784).
 * The gradient fed to backward has zeros in those columns, so they add nothing to dW or dX.
 */
final class WideColumns {
    private WideColumns() { }

    /** True when this layout applies: stride 1 and dilation 1, not pointwise. */
    static boolean applies(ConvGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1 && g.dilationH() == 1 && g.dilationW() == 1 && !g.isPointwise();
    }

    static boolean padded(ConvGeometry g) {
        return g.padH() != 0 || g.padW() != 0;
    }

    /** PW: the padded input width, the GEMM's distance between two output rows. */
    static int rowWidth(ConvGeometry g) {
        return g.w() + 2 * g.padW();
    }

    /** Floats of one padded input plane: HP * PW. */
    static int plane(ConvGeometry g) {
        return (g.h() + 2 * g.padH()) * rowWidth(g);
    }

    /** GEMM columns per sample: (OH-1)*PW + OW. */
    static int pixels(ConvGeometry g) {
        return (g.oh() - 1) * rowWidth(g) + g.ow();
    }

    /** The interior of padded planes xp [cg, HP, PW] = x [cg, H, W] at {@code xOff}; the border stays as it is (zero). */
    static void pad(ConvGeometry g, float[] x, int xOff, float[] xp) {
        int pw = rowWidth(g), plane = plane(g);
        for (int c = 0; c < g.cg(); c++) {
            for (int i = 0; i < g.h(); i++) {
                System.arraycopy(x, xOff + (c * g.h() + i) * g.w(), xp, c * plane + (i + g.padH()) * pw + g.padW(), g.w());
            }
        }
    }

    /** dx [cg, H, W] at {@code dxOff} = the interior of the padded planes dxp (written). */
    static void unpad(ConvGeometry g, float[] dxp, float[] dx, int dxOff) {
        int pw = rowWidth(g), plane = plane(g);
        for (int c = 0; c < g.cg(); c++) {
            for (int i = 0; i < g.h(); i++) {
                System.arraycopy(dxp, c * plane + (i + g.padH()) * pw + g.padW(), dx, dxOff + (c * g.h() + i) * g.w(), g.w());
            }
        }
    }

    /** col rows (ld apart, from colOff) = the taps' runs of the planes src [cg, HP, PW] at srcOff. */
    static void im2col(ConvGeometry g, float[] src, int srcOff, float[] col, int colOff, int ld) {
        int pw = rowWidth(g), plane = plane(g), n = pixels(g);
        int row = 0;
        for (int c = 0; c < g.cg(); c++) {
            for (int r = 0; r < g.r(); r++) {
                for (int s = 0; s < g.s(); s++, row++) {
                    System.arraycopy(src, srcOff + c * plane + r * pw + s, col, colOff + row * ld, n);
                }
            }
        }
    }

    /** dst planes [cg, HP, PW] at dstOff += every tap's run of col (the adjoint of {@link #im2col}). */
    static void col2im(ConvGeometry g, float[] col, int colOff, int ld, float[] dst, int dstOff) {
        int pw = rowWidth(g), plane = plane(g), n = pixels(g);
        int row = 0;
        for (int c = 0; c < g.cg(); c++) {
            for (int r = 0; r < g.r(); r++) {
                for (int s = 0; s < g.s(); s++, row++) {
                    int d = dstOff + c * plane + r * pw + s, o = colOff + row * ld;
                    for (int m = 0; m < n; m++) dst[d + m] += col[o + m];
                }
            }
        }
    }

    /** Zeroes the planes of a padded scratch. */
    static void clear(ConvGeometry g, float[] xp) {
        Arrays.fill(xp, 0, g.cg() * plane(g), 0f);
    }
}
