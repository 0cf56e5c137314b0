package org.neurite.layers.conv;

/**
 * The product of a stride-1 convolution without its column matrix ("implicit GEMM"):
 * <pre>
 *   Y [m, n] = A [m, k] * B,   B [p, j] = src[base + rowOff[p] + j]
 * </pre>
 * In the {@link WideColumns} layout, row p = tap (c, r, s) of the column matrix is one contiguous
 * run of the padded input starting at {@code c*HP*PW + r*PW + s}: reading it there instead of
 * copying it out saves im2col, and B is the padded input itself (a 16-channel 34x34 sample: 74 KB,
 * L2-resident) instead of a column matrix nine times larger (626 KB, past L2).
 *
 * <p>A is packed once per call of the layer ({@link #pack}); n is computed in whole tiles of
 * {@link #tileColumns()} columns, so src needs that much readable slack past its last run and Y
 * that many columns per row ({@link #columns}); Y also needs {@link #rows} rows (the last panel is
 * computed whole). Each element of Y is the same chain of multiply-adds over p in order as the
 * packed GEMM's for k up to its block of 256, so the output does not depend on which path ran.
 */
final class ImplicitGemm {
    /** Present when the JVM has the Vector API ({@code -Dneurite.kernels=scalar}: never). */
    static final boolean AVAILABLE = LaneDots.AVAILABLE;

    private ImplicitGemm() { }

    /** Taps per {@link #filterGradient} tile, and the panel height most filter counts get. */
    static int mr() {
        return ImplicitGemmVector.MR;
    }

    /**
     * Rows per packed panel for m filters: {@link #mr()}, or 4 where 4-row panels compute at least
     * 15% fewer rows. The last panel of up to 4 rows takes a 4-row tile, so on 256-bit machines
     * (5-row panels) 16 filters computed 5+5+5+4 = 19 rows; in 4-row panels they compute 16, and
     * the forward of 16->16@32x32 took 9% less time (one thread, min of 300 calls: 4.88 -> 4.43
     * ms). A 4-row tile costs ~15% more per row than a 5-row one (8 accumulators against 10 to hide
     * the FMA latency, a B load per 4 rows instead of 5), so 32 filters (34 -> 32 rows) measured 7%
     * slower in 4-row panels and keep 5, as 64 do (60 + 4). The height changes which rows share a
     * tile, never a sum (ImplicitGemmPanelsTest).
     */
    static int panelHeight(int m) {
        int mr = mr();
        return computedRows(m, 4) <= 0.85 * computedRows(m, mr) ? 4 : mr;
    }

    /** Rows the tiles compute for m rows in panels of mr: a last panel of at most 4 takes a 4-row tile. */
    private static int computedRows(int m, int mr) {
        int last = m % mr;
        return m / mr * mr + (last == 0 ? 0 : last <= 4 ? 4 : mr);
    }

    /** Columns per tile. */
    static int tileColumns() {
        return 2 * ImplicitGemmVector.V;
    }

    /** Rows Y and the packed A must have for m rows: m rounded up to whole panels. */
    static int rows(int m) {
        return Math.ceilDiv(m, panelHeight(m)) * panelHeight(m);
    }

    /** Columns Y must have for n: n rounded up to whole tiles. */
    static int columns(int n) {
        return Math.ceilDiv(n, tileColumns()) * tileColumns();
    }

    /** dst[dOff ..] = A [m, k] (rows k apart from aOff) in panels of {@link #panelHeight} rows, p-major, zero rows past m. */
    static void pack(int m, int k, float[] a, int aOff, float[] dst, int dOff) {
        pack(panelHeight(m), m, k, a, aOff, dst, dOff);
    }

    /** {@link #pack} in panels of mr rows (tests compare panel heights). */
    static void pack(int mr, int m, int k, float[] a, int aOff, float[] dst, int dOff) {
        for (int i0 = 0; i0 < m; i0 += mr) {
            int panel = dOff + i0 * k;
            for (int r = 0; r < mr; r++) {
                for (int p = 0; p < k; p++) dst[panel + p * mr + r] = i0 + r < m ? a[aOff + (i0 + r) * k + p] : 0f;
            }
        }
    }

    /**
     * True when whole tiles fall on output rows: OW a multiple of V and OH*OW of 2V (ResNet's 32-,
     * 16- and, with 256-bit vectors, 8-pixel rows). Then {@link #multiplyRows} writes y itself.
     */
    static boolean rowTiles(ConvGeometry g) {
        int v = ImplicitGemmVector.V;
        return AVAILABLE && g.ow() % v == 0 && g.outPixels() % (2 * v) == 0;
    }

    /** Where the V-pixel segments of the output, in order, start in the padded grid: row*PW + column. */
    static int[] segmentStarts(ConvGeometry g) {
        int v = ImplicitGemmVector.V, perRow = g.ow() / v, pw = WideColumns.rowWidth(g);
        int[] start = new int[g.outPixels() / v];
        for (int t = 0; t < start.length; t++) start[t] = t / perRow * pw + t % perRow * v;
        return start;
    }

    /**
     * The output rows themselves: y [m, P] at yOff (rows ldy apart, only the m valid ones written) =
     * act(packed A times B + bias), where output segment t of V pixels reads the runs at
     * {@code src[base + segStart[t] + rowOff[p] ..]}; bias (from bOff) may be null, act is the ReLU
     * when {@code relu}. No garbage columns and no copy to NCHW (see {@link #rowTiles}).
     */
    static void multiplyRows(int m, int pixels, int k, float[] packedA, int aOff, float[] src, int base, int[] segStart, int[] rowOff,
                             float[] y, int yOff, int ldy, float[] bias, int bOff, boolean relu) {
        ImplicitGemmVector.multiplyRows(panelHeight(m), m, pixels / ImplicitGemmVector.V, k, packedA, aOff, src, base, segStart, rowOff,
                y, yOff, ldy, bias, bOff, relu);
    }

    /**
     * y [rows(m), columns(n)] at yOff, rows ldy apart = packed A (at aOff) times B, B row p at
     * {@code src[base + rowOff[p] ..]}.
     */
    static void multiply(int m, int n, int k, float[] packedA, int aOff, float[] src, int base, int[] rowOff,
                         float[] y, int yOff, int ldy) {
        ImplicitGemmVector.multiply(panelHeight(m), m, n, k, packedA, aOff, src, base, rowOff, 0, y, yOff, ldy);
    }

    /** True when {@link #filterGradient} takes K filters: whole vectors (tiles of 2V, and of V for an odd last one). */
    static boolean filterGradientApplies(int k) {
        return AVAILABLE && k % (tileColumns() / 2) == 0;
    }

    /**
     * The filter gradient transposed, with the taps read in place:
     * <pre>
     *   dwT [q, K] += sum over p < pixels of src[base + rowOff[j] + p] * gt[gtOff + p*K + k]
     * </pre>
     * gt [pixels, K] is G (the output gradient in the {@link WideColumns} layout, zeros in its
     * spare columns) transposed, so a tile of {@link #mr()} taps x 2V filters is the GEMM
     * micro-kernel with A's values broadcast from the taps' runs and B rows of gt: 10 or 16 FMAs
     * per 2 vector loads and MR scalar ones. K must be a multiple of V ({@link #tileColumns()} / 2). Each
     * cell is one chain over p in order, added to dwT once per call.
     */
    static void filterGradient(int q, int k, int pixels, float[] src, int base, int[] rowOff, float[] gt, int gtOff, float[] dwT, int dOff) {
        ImplicitGemmVector.filterGradient(mr(), q, k, pixels, src, base, rowOff, gt, gtOff, dwT, dOff);
    }
}
