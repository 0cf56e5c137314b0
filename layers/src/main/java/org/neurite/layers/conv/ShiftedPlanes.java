package org.neurite.layers.conv;

/**
 * The implicit GEMM's B for output maps whose rows are narrower than a tile (ResNet's 8x8 maps
 * with 16-lane vectors): one copy of the zero-padded input per filter column s, each cut to the
 * output's width, {@code copy[s][c][HP][OW]} with {@code copy[s][c][i][j] = x[c][i - padH][j + s - padW]}
 * (zero outside x). Tap (c, r, s) then reads one contiguous run for all OH*OW output pixels, in
 * NCHW order:
 * <pre>
 *   B [(c, r, s), m] = copy[s][c][r*OW + m]     (m = i*OW + j)
 * </pre>
 * The {@link WideColumns} layout (one copy, PW wide) makes the product compute PW - OW garbage
 * columns per output row, and tiles of 2V columns round the rest up: an 8x8 map computed 96
 * columns for its 64 pixels. Here every column is a pixel, and tiles of V pixels fall on y itself
 * ({@link ImplicitGemm#multiplyRows} with contiguous segments). The price is S copies of the input
 * instead of one: for a 64-channel 8x8 sample 60 KiB, against 2.4 M multiply-adds per sample.
 */
final class ShiftedPlanes {
    private ShiftedPlanes() { }

    /**
     * True when this layout is used: stride 1, undilated, not pointwise, rows that do not hold
     * whole tiles (else {@link ImplicitGemm#rowTiles} already computes no garbage, from one copy)
     * and a map of whole 2V-pixel tiles.
     */
    static boolean applies(ConvGeometry g) {
        int v = ImplicitGemm.tileColumns() / 2;
        return ImplicitGemm.AVAILABLE && WideColumns.applies(g) && !ImplicitGemm.rowTiles(g) && g.ow() % v != 0
                && g.outPixels() % (2 * v) == 0;
    }

    /** HP: the padded input height, rows per copied plane. */
    private static int rows(ConvGeometry g) {
        return g.h() + 2 * g.padH();
    }

    /** Floats of all copies for one sample's group of channels: S * cg * HP * OW. */
    static int size(ConvGeometry g) {
        return g.s() * g.cg() * rows(g) * g.ow();
    }

    /** Where tap (c, r, s), in column-matrix row order, starts: ((s*cg + c)*HP + r)*OW. */
    static int[] tapOffsets(ConvGeometry g) {
        int[] off = new int[g.colRows()];
        int plane = rows(g) * g.ow(), row = 0;
        for (int c = 0; c < g.cg(); c++) {
            for (int r = 0; r < g.r(); r++) {
                for (int s = 0; s < g.s(); s++) off[row++] = (s * g.cg() + c) * plane + r * g.ow();
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

    /** dst [S, cg, HP, OW] = the copies of x [cg, H, W] at xOff, zeros included (every float is written). */
    static void fill(ConvGeometry g, float[] x, int xOff, float[] dst) {
        int hp = rows(g), ow = g.ow(), d = 0;
        for (int s = 0; s < g.s(); s++) {
            // x columns j + s - padW for j in [0, OW): the valid ones are [lo, hi)
            int shift = s - g.padW(), lo = Math.max(0, -shift), hi = Math.min(ow, g.w() - shift);
            for (int c = 0; c < g.cg(); c++) {
                for (int i = 0; i < hp; i++, d += ow) {
                    int xi = i - g.padH();
                    if (xi < 0 || xi >= g.h() || hi <= lo) {
                        java.util.Arrays.fill(dst, d, d + ow, 0f);
                        continue;
                    }
                    for (int j = 0; j < lo; j++) dst[d + j] = 0f;
                    System.arraycopy(x, xOff + (c * g.h() + xi) * g.w() + lo + shift, dst, d + lo, hi - lo);
                    for (int j = hi; j < ow; j++) dst[d + j] = 0f;
                }
            }
        }
    }
}
