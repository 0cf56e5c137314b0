package org.neurite.layers.conv;

import java.util.Arrays;

/**
 * The implicit GEMM's B as copies of the zero-padded input, one per filter column s and row phase
 * a (a < stride), each cut to the output's width: for output pixel m = i*OW + j, tap (c, r, s)
 * reads
 * <pre>
 *   B [(c, r, s), m] = copy[s][r % SH][c][(r / SH)*OW + m],   copy[s][a][c][u][j] = xpad[c][SH*u + a][SW*j + s]
 * </pre>
 * one contiguous run over all OH*OW output pixels, in NCHW order (row u + r/SH of copy a is
 * padded row SH*(i + r/SH) + r%SH = SH*i + r). So every GEMM column is a pixel and tiles of V
 * pixels fall on y itself ({@link ImplicitGemm#multiplyRows} with contiguous segments).
 *
 * <p>Used where the {@link WideColumns} layout (one padded copy, PW wide) does not fit: rows
 * narrower than a tile (an 8x8 map with 16-lane vectors computed 96 columns for its 64 pixels)
 * and strided convolutions (ResNet's stride-2 3x3 ones, which went through im2col and a column
 * matrix 2.25 times the input). The price is S * SH copies of (a 1/SH share of) the
 * input instead of one: 60 KiB for a 64-channel 8x8 sample, against its 2.4 M multiply-adds.
 */
final class ShiftedPlanes {
    private ShiftedPlanes() { }

    /**
     * True when this layout is used: undilated, not pointwise, a map of whole 2V-pixel tiles, and
     * strided, or with rows that do not hold whole tiles, or rows of at most 8 pixels. Else
     * {@link ImplicitGemm#rowTiles} computes no garbage in the forward, from one copy; but the
     * filter gradient runs over the padded rows, and 8-pixel rows padded to 10 wasted a fifth of
     * it: on 256-bit machines (8x8 maps are whole 8-lane rows there) 64->64@8x8's dW took 13%
     * less time in this layout, its forward 5% more (one thread, 6.5 -> 5.6 and 3.55 -> 3.73 ms).
     * Strided 1x1 filters stay on im2col: with 16 or
     * 32 taps per product the per-sample overheads outweigh the copy it saves (ResNet's
     * projections: 16->32@32x32 dW 0.29 vs 0.59 ms).
     */
    static boolean applies(ConvGeometry g) {
        int v = ImplicitGemm.tileColumns() / 2;
        boolean strided = g.strideH() > 1 || g.strideW() > 1;
        return ImplicitGemm.AVAILABLE && g.dilationH() == 1 && g.dilationW() == 1 && !g.isPointwise()
                && g.outPixels() % (2 * v) == 0 && (strided ? g.r() * g.s() > 1 : g.ow() % v != 0 || g.ow() <= 8);
    }

    /** Row phases that some tap reads: min(SH, R). */
    private static int phases(ConvGeometry g) {
        return Math.min(g.strideH(), g.r());
    }

    /** Rows per copied plane: OH + (R-1)/SH. */
    private static int rows(ConvGeometry g) {
        return g.oh() + (g.r() - 1) / g.strideH();
    }

    /** Floats of all copies for one sample's group of channels: S * phases * cg * rows * OW. */
    static int size(ConvGeometry g) {
        return g.s() * phases(g) * g.cg() * rows(g) * g.ow();
    }

    /** Where tap (c, r, s), in column-matrix row order, starts: (((s*phases + r%SH)*cg + c)*rows + r/SH)*OW. */
    static int[] tapOffsets(ConvGeometry g) {
        int[] off = new int[g.colRows()];
        int plane = rows(g) * g.ow(), sh = g.strideH(), row = 0;
        for (int c = 0; c < g.cg(); c++) {
            for (int r = 0; r < g.r(); r++) {
                for (int s = 0; s < g.s(); s++) off[row++] = ((s * phases(g) + r % sh) * g.cg() + c) * plane + r / sh * g.ow();
            }
        }
        return off;
    }

    /** Where the V-pixel output segments start: contiguous, t*V. */
    static int[] segmentStarts(ConvGeometry g) {
        int v = ImplicitGemm.tileColumns() / 2;
        int[] start = new int[g.outPixels() / v];
        for (int t = 0; t < start.length; t++) start[t] = t * v;
        return start;
    }

    /** dst = the copies of x [cg, H, W] at xOff, zeros included (every float is written). */
    static void fill(ConvGeometry g, float[] x, int xOff, float[] dst) {
        if (g.strideH() == 1 && g.strideW() == 1 && g.ow() == g.w()) {
            fillSameWidth(g, x, xOff, dst);
            return;
        }
        if (g.strideW() == 2 && g.s() == 3 && g.padW() == 1 && g.w() == 2 * g.ow()) {
            fillHalfWidth(g, x, xOff, dst);
            return;
        }
        int rows = rows(g), ow = g.ow(), sh = g.strideH(), sw = g.strideW(), d = 0;
        for (int s = 0; s < g.s(); s++) {
            // copy column j reads x column sw*j + s - padW: valid for j in [lo, hi)
            int shift = s - g.padW(), lo = Math.max(0, Math.ceilDiv(-shift, sw)), hi = Math.min(ow, Math.ceilDiv(g.w() - shift, sw));
            for (int a = 0; a < phases(g); a++) {
                for (int c = 0; c < g.cg(); c++) {
                    for (int u = 0; u < rows; u++, d += ow) {
                        int xi = sh * u + a - g.padH();
                        if (xi < 0 || xi >= g.h() || hi <= lo) {
                            Arrays.fill(dst, d, d + ow, 0f);
                            continue;
                        }
                        for (int j = 0; j < lo; j++) dst[d + j] = 0f;
                        int from = xOff + (c * g.h() + xi) * g.w() + shift;
                        if (sw == 1) {
                            System.arraycopy(x, from + lo, dst, d + lo, hi - lo);
                        } else {
                            for (int j = lo; j < hi; j++) dst[d + j] = x[from + sw * j];
                        }
                        for (int j = hi; j < ow; j++) dst[d + j] = 0f;
                    }
                }
            }
        }
    }

    /**
     * {@link #fill} for 3-wide filters at column stride 2 and padding 1 on an even width (ResNet's
     * down-sampling): copy s = 1 holds a row's even columns and copy 2 its odd ones, split in one
     * pass ({@link EvenOddVector}); copy 0 is copy 2 moved one column right behind the padding's
     * zero. One strided scalar read per float of the three copies took 28 us per 16-channel 32x32
     * sample, as long as a third of its multiply-adds.
     */
    private static void fillHalfWidth(ConvGeometry g, float[] x, int xOff, float[] dst) {
        int rows = rows(g), ow = g.ow(), sh = g.strideH(), plane = rows * ow, sc = phases(g) * g.cg() * plane;
        for (int a = 0; a < phases(g); a++) {
            for (int c = 0; c < g.cg(); c++) {
                for (int u = 0; u < rows; u++) {
                    int d = (a * g.cg() + c) * plane + u * ow, xi = sh * u + a - g.padH();     // copy s's row at d + s*sc
                    if (xi < 0 || xi >= g.h()) {
                        Arrays.fill(dst, d, d + ow, 0f);
                        Arrays.fill(dst, d + sc, d + sc + ow, 0f);
                        Arrays.fill(dst, d + 2 * sc, d + 2 * sc + ow, 0f);
                        continue;
                    }
                    EvenOddVector.split(x, xOff + (c * g.h() + xi) * g.w(), dst, d + sc, dst, d + 2 * sc, ow);
                    dst[d] = 0f;
                    System.arraycopy(dst, d + 2 * sc, dst, d + 1, ow - 1);
                }
            }
        }
    }

    /**
     * {@link #fill} for stride 1 and OW = W (a "same" convolution): a copy's rows are as wide as
     * x's, so each channel's H rows are one run of x moved by s - padW, then the columns that
     * wrapped around from the neighbouring row are zeroed. A row at a time cost 30 us per 64-channel
     * 8x8 sample (1,920 short copies), as much as a third of its multiply-adds.
     */
    private static void fillSameWidth(ConvGeometry g, float[] x, int xOff, float[] dst) {
        int w = g.w(), h = g.h(), hp = rows(g), plane = hp * w, top = g.padH() * w, inPlane = h * w, d = 0;
        for (int s = 0; s < g.s(); s++) {
            int shift = s - g.padW();
            // dst[top + m] = x[m + shift] for m in [0, H*W) where the source index is inside the plane
            int lo = Math.min(inPlane, Math.max(0, -shift)), hi = Math.max(lo, Math.min(inPlane, inPlane - shift));
            for (int c = 0; c < g.cg(); c++, d += plane) {
                int from = xOff + c * inPlane;
                Arrays.fill(dst, d, d + top + lo, 0f);
                System.arraycopy(x, from + lo + shift, dst, d + top + lo, hi - lo);
                Arrays.fill(dst, d + top + hi, d + plane, 0f);
                // columns j with j + shift outside [0, W) read the row above or below: zero them
                for (int i = 0; i < h; i++) {
                    int row = d + top + i * w;
                    for (int j = 0; j < Math.min(w, -shift); j++) dst[row + j] = 0f;
                    for (int j = Math.max(0, w - shift); j < w; j++) dst[row + j] = 0f;
                }
            }
        }
    }
}
