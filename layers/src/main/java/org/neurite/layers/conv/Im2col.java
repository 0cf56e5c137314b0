package org.neurite.layers.conv;

import java.util.Arrays;

/**
 * The im2col transform and its adjoint col2im, for one sample and one group of channels.
 * Row {@code (c*R + r)*S + s} of the column matrix holds, for every output pixel, the input value
 * that filter tap (c, r, s) sees there, or 0 in the padding: col {@code [cg*R*S, OH*OW]}.
 * Each (tap, output row) is one contiguous run: zeros on the left, the valid span, zeros on the right.
 * The rows of col are {@code ld} floats apart, so several samples can sit side by side in one
 * column matrix {@code [cg*R*S, B*OH*OW]} (sample b at column offset b*OH*OW, ld = B*OH*OW).
 * Stride-1 convolutions use {@link WideColumns} instead.
 */
final class Im2col {
    private Im2col() { }

    /** col = im2col(x), where x starts at {@code xOff} with channels {@code [cg, H, W]} and col at {@code colOff}, rows {@code ld} apart. */
    static void im2col(ConvGeometry g, float[] x, int xOff, float[] col, int colOff, int ld) {
        int h = g.h(), w = g.w(), oh = g.oh(), ow = g.ow(), sh = g.strideH(), sw = g.strideW();
        int row = 0;
        for (int c = 0; c < g.cg(); c++) {
            int plane = xOff + c * h * w;
            for (int r = 0; r < g.r(); r++) {
                int dr = r * g.dilationH() - g.padH();
                for (int s = 0; s < g.s(); s++, row++) {
                    int ds = s * g.dilationW() - g.padW();
                    int lo = firstInside(ds, sw, ow);
                    int hi = endInside(ds, sw, w, ow, lo);
                    int o = colOff + row * ld;
                    for (int i = 0; i < oh; i++, o += ow) {
                        int ih = i * sh + dr;
                        if (ih < 0 || ih >= h) {
                            Arrays.fill(col, o, o + ow, 0f);
                            continue;
                        }
                        int src = plane + ih * w + ds;      // x index of output column 0 (may be outside)
                        Arrays.fill(col, o, o + lo, 0f);
                        if (sw == 1) {
                            // (no copy when no column is inside: src + lo may then lie past x)
                            if (hi > lo) System.arraycopy(x, src + lo, col, o + lo, hi - lo);
                        } else {
                            for (int j = lo; j < hi; j++) col[o + j] = x[src + j * sw];
                        }
                        Arrays.fill(col, o + hi, o + ow, 0f);
                    }
                }
            }
        }
    }

    /** dx += col2im(col): every tap's gradient added back onto the input pixel it read; col at {@code colOff}, rows {@code ld} apart. */
    static void col2im(ConvGeometry g, float[] col, int colOff, int ld, float[] dx, int dxOff) {
        int h = g.h(), w = g.w(), oh = g.oh(), ow = g.ow(), sh = g.strideH(), sw = g.strideW();
        int row = 0;
        for (int c = 0; c < g.cg(); c++) {
            int plane = dxOff + c * h * w;
            for (int r = 0; r < g.r(); r++) {
                int dr = r * g.dilationH() - g.padH();
                for (int s = 0; s < g.s(); s++, row++) {
                    int ds = s * g.dilationW() - g.padW();
                    int lo = firstInside(ds, sw, ow);
                    int hi = endInside(ds, sw, w, ow, lo);
                    int o = colOff + row * ld;
                    for (int i = 0; i < oh; i++, o += ow) {
                        int ih = i * sh + dr;
                        if (ih < 0 || ih >= h) continue;
                        int dst = plane + ih * w + ds;
                        if (sw == 1) {
                            for (int j = lo; j < hi; j++) dx[dst + j] += col[o + j];
                        } else {
                            for (int j = lo; j < hi; j++) dx[dst + j * sw] += col[o + j];
                        }
                    }
                }
            }
        }
    }

    /** First output column j with j*stride + offset >= 0, at most {@code ow}. */
    private static int firstInside(int offset, int stride, int ow) {
        return offset >= 0 ? 0 : Math.min(ow, Math.ceilDiv(-offset, stride));
    }

    /** One past the last output column j with j*stride + offset < w, at least {@code lo}. */
    private static int endInside(int offset, int stride, int w, int ow, int lo) {
        int end = w - offset <= 0 ? 0 : Math.ceilDiv(w - offset, stride);
        return Math.max(lo, Math.min(ow, end));
    }
}
