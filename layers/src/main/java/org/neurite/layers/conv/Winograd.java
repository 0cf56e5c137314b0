package org.neurite.layers.conv;

import org.neurite.runtime.Kernels;
import org.neurite.runtime.Parallel;

/**
 * The forward of a 3x3 "same" convolution (stride 1, padding 1) by Winograd's minimal filtering
 * F(2x2, 3x3) (Lavin and Gray 2016). Each 2x2 block of output pixels (a tile) comes from a 4x4
 * input patch d, and with the transforms B, G and A below
 * <pre>
 *   Y_tile = A^T [ sum over c of (G w[k,c] G^T) (.) (B^T d[c] B) ] A
 * </pre>
 * Summing over the channels first turns the element-wise products into 16 GEMMs, one per
 * transform point xi = 4a + b:
 * <pre>
 *   U_xi [K, C]  = (G w G^T)[xi]                 filters, once per call, packed for ImplicitGemm
 *   V_xi [C, T]  = (B^T d B)[xi]                 the chunk's T tiles ({@link WinogradVector#input})
 *   M_xi [K, T]  = U_xi * V_xi                   16 products, k = C (ImplicitGemm's tiles, B rows evenly spaced)
 *   y            = act(A^T M A + bias)           2x2 pixels per tile ({@link WinogradVector#output})
 * </pre>
 * 16 multiply-adds per channel and tile instead of 36. The previous try (commit 6924496) lost to
 * im2col because its GEMMs ran at 36-72 GFLOP/s at k = 16-64 and its parity split and output
 * writes were scalar. Here V_xi is laid out as the implicit GEMM's B (C rows of T tiles, tile
 * t = ti*TW + tj), so the products run on the convolution's own micro-kernel tiles, and the transforms
 * are flat vector loops over the tiles of a plane, the columns split and interleaved by
 * {@link EvenOddVector}.
 *
 * <p>The transforms only add, subtract and halve, so the result is the direct sum reassociated:
 * it differs from the direct convolution by rounding (WinogradTest bounds it against a double
 * reference). Every output is the same chain whatever the chunking and thread count: each tile's
 * 16 sums run over c in order, then the fixed output transform. Chunks hold whole samples, as
 * many as keep V within {@link #CHUNK_FLOATS}; slices of chunks go to the threads as in
 * {@link ConvCpu}, each with its own workspace, so a call allocates nothing.
 */
final class Winograd {
    /**
     * V floats per chunk, at most (unless one sample needs more): 64 KiB, as much again for M. On
     * two threads 2^16 (four 64@8x8 samples a chunk) measured 2.1-3.3 ms per batch-64 forward and
     * 2^14 (one) 1.9 (32@16x16: 1.9-2.7 and 1.6), the other thread's blocks sharing the L3.
     */
    static final int CHUNK_FLOATS = 1 << 14;
    private static final int SLICES_PER_THREAD = 1;
    /**
     * Floats between one point's V_xi (and M_xi) and the next past its C (K) rows: a cache line,
     * so the 16 blocks do not start 4 KiB multiples apart (16@32x32: C*ld = 4096 floats) where
     * the transforms' 16 streams would fall in one set of the L1 cache.
     */
    private static final int SKEW = 16;
    /**
     * Fewer input or output channels keep the direct implicit product. At 16 (ResNet's first
     * stage, 32x32 planes) the products have k = 16 and ran at ~50 GFLOP/s, and a sample's V and M
     * (256 KiB each) leave the L2 cache: 5.1 ms against 4.3 direct per batch-64 forward (one
     * thread). At 32 and 64 channels it wins: 32@16x16 3.9 -> 3.35 ms, 64@8x8 3.8 -> 3.1. On a
     * slower-clocked Zen 3 (2026-12-03, evening) the 16-channel forward measured 6-9% faster alone
     * but made a whole W4 step 2.7% slower (two models stepped alternately in one JVM), so the
     * forward keeps 32 (the filter gradient takes 16: {@link WinogradFilterGradient#MIN_CHANNELS}).
     */
    static final int MIN_CHANNELS = 32;
    /** Switch: {@code -Dneurite.winograd=false} keeps every convolution on the direct paths. */
    private static final boolean ENABLED = !"false".equals(System.getProperty("neurite.winograd"));
    /** Filters per parallel chunk of the filter transform: it ran on the calling thread alone, 0.1 ms a call at 64x64. */
    private static final int FILTER_GRAIN = 16;

    private final ConvGeometry g;
    private final int tw, th;           // tiles per row and per column: W/2, H/2
    private final int tiles;            // per sample: th * tw
    private final int mr;               // rows per packed panel of U_xi (ImplicitGemm.panelHeight)
    private final int rowsK;            // M_xi rows: K rounded up to whole packed panels
    private final float[] uPacked;      // U_xi packed for ImplicitGemm, 16 of rows(K) x C
    private int threads, batch, chunks, slices;
    private int ld;                     // columns of V_xi and M_xi: batch * tiles, whole GEMM tiles
    private int vs, ms;                 // floats from V_xi to V_xi+1 and from M_xi to M_xi+1
    private Workspace[] ws = new Workspace[0];

    // The operands of the running call, read by the prebuilt loop body (no capture, no garbage).
    private float[] xd, bd, yd, md, maskedD, wd;
    private boolean relu;
    private final Parallel.RangeBody body = this::runSlices;
    private final Parallel.RangeBody filterBody = this::filterRange;

    /** One slice's scratch. */
    final class Workspace {
        final float[] v;                // V_xi [C, ld], vs floats apart
        final float[] m;                // M_xi [rowsK, ld], ms floats apart
        final float[] split;            // one row by column parity (see WinogradVector#input), or the loads at x's ends
        final float[] rt;               // rows after B^T across: [4 b][2 parity][H/2 + 1][TW], zero first and last rows
        final float[] out;              // A^T M A of one plane [4, T] (only for rows of neither whole nor half vectors)

        Workspace() {
            v = new float[16 * vs];
            m = new float[16 * ms];
            split = new float[Math.max(2 * (tw + 1), WinogradVector.V)];
            rt = new float[8 * (th + 1) * tw];
            out = new float[4 * tiles];
        }
    }

    /**
     * 3x3, stride 1, padding 1, undilated, ungrouped, even H and W with a whole vector of tiles per
     * sample, at least {@link #MIN_CHANNELS} input and output channels, and the Vector API.
     */
    static boolean applies(ConvGeometry g) {
        return fits(g) && g.c() >= MIN_CHANNELS && g.k() >= MIN_CHANNELS;
    }

    /** The shapes F(2x2, 3x3) takes here, whatever the channel counts (and the Vector API present). */
    static boolean fits(ConvGeometry g) {
        return ENABLED && ImplicitGemm.AVAILABLE && g.r() == 3 && g.s() == 3 && g.strideH() == 1 && g.strideW() == 1
                && g.padH() == 1 && g.padW() == 1 && g.dilationH() == 1 && g.dilationW() == 1 && g.groups() == 1
                && g.h() % 2 == 0 && g.w() % 2 == 0 && g.w() >= 8 && (g.h() / 2 * (g.w() / 2)) % WinogradVector.V == 0;
    }

    Winograd(ConvGeometry g) {
        if (!applies(g)) throw new IllegalArgumentException("Winograd F(2x2,3x3) does not apply to " + g);
        this.g = g;
        this.tw = g.w() / 2;
        this.th = g.h() / 2;
        this.tiles = th * tw;
        this.mr = ImplicitGemm.panelHeight(g.k());
        this.rowsK = ImplicitGemm.rows(g.k());
        this.uPacked = new float[16 * rowsK * g.c()];
    }

    /** Samples per chunk (tests and reports). */
    int batch() {
        if (threads != Parallel.threads()) layout();
        return batch;
    }

    /**
     * y = act(conv(x', w) + b), x' = x, or x masked by relu'(mask) (written into maskedOut sample
     * by sample, for the caller's filter gradient) when mask is not null. b may be null.
     * Shapes are checked by the caller.
     */
    void forward(float[] x, float[] mask, float[] maskedOut, float[] w, float[] b, float[] y, boolean relu) {
        if (threads != Parallel.threads()) layout();
        filters(w);
        xd = x;
        md = mask;
        maskedD = maskedOut;
        bd = b;
        yd = y;
        this.relu = relu;
        try {
            Parallel.forEach(slices, body);
        } finally {
            xd = md = maskedD = bd = yd = null;
        }
    }

    /**
     * Samples per chunk: as many as keep V (16 * max(C, K) floats a tile) within budget, at least
     * one, and no more than a thread's share, so every thread gets a chunk (as ConvCpu's layout).
     * Where one sample's tiles are less than the GEMM's tile width (8x8 planes: 16 tiles, with
     * 512-bit vectors 32 columns), the count is rounded up to fill whole GEMM tiles: one 64@8x8
     * sample a chunk computed 32 columns for 16 tiles.
     */
    static int samplesPerChunk(ConvGeometry g, int tiles, int budget, int threads) {
        int perThread = Math.ceilDiv(g.n(), threads);
        int samples = Math.max(1, Math.min(perThread, budget / (16 * Math.max(g.c(), g.k()) * tiles)));
        int fill = ImplicitGemm.tileColumns() / gcd(tiles, ImplicitGemm.tileColumns());
        return Math.min(Math.max(samples, Math.ceilDiv(samples, fill) * fill), Math.max(samples, perThread));
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** Chunks as large as {@link #CHUNK_FLOATS} allows, but every thread gets one (as {@link ConvCpu#layout}). */
    private void layout() {
        threads = Parallel.threads();
        batch = Winograd.samplesPerChunk(g, tiles, CHUNK_FLOATS, threads);
        chunks = Math.ceilDiv(g.n(), batch);
        slices = threads == 1 ? 1 : Math.min(SLICES_PER_THREAD * threads, chunks);
        ld = ImplicitGemm.columns(batch * tiles);
        vs = g.c() * ld + SKEW;
        ms = rowsK * ld + SKEW;
        ws = new Workspace[slices];
        for (int t = 0; t < slices; t++) ws[t] = new Workspace();
    }

    /**
     * U_xi [k, c] = (G w[k,c] G^T)[xi], G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1], written
     * straight into ImplicitGemm's panels of mr rows (U_xi's from xi * rowsK * C; the rows past
     * K stay zero).
     */
    private void filters(float[] w) {
        wd = w;
        try {
            Parallel.forRange(g.k(), FILTER_GRAIN, filterBody);
        } finally {
            wd = null;
        }
    }

    /** {@link #filters} for filters [f0, f1): G's rows on each column of w, then on each row of G w. */
    private void filterRange(int f0, int f1) {
        int c = g.c(), block = rowsK * c;
        float[] w = wd;
        for (int f = f0; f < f1; f++) {
            int panelRow = f / mr * mr * c + f % mr;     // (f, ch) at panelRow + ch * mr of each U_xi
            for (int ch = 0; ch < c; ch++) {
                int o = (f * c + ch) * 9, d = panelRow + ch * mr;
                float a0 = w[o], a1 = w[o + 1], a2 = w[o + 2];          // w's rows
                float b0 = w[o + 3], b1 = w[o + 4], b2 = w[o + 5];
                float c0 = w[o + 6], c1 = w[o + 7], c2 = w[o + 8];
                point(a0, a1, a2, d, 0, block);                         // G w, row 0: w's first row
                point(0.5f * (a0 + b0 + c0), 0.5f * (a1 + b1 + c1), 0.5f * (a2 + b2 + c2), d, 4, block);
                point(0.5f * (a0 - b0 + c0), 0.5f * (a1 - b1 + c1), 0.5f * (a2 - b2 + c2), d, 8, block);
                point(c0, c1, c2, d, 12, block);                        // row 3: w's last row
            }
        }
    }

    /** U_{xi0 .. xi0+3} at d of their blocks = (a, b, c) G^T: a, (a + b + c)/2, (a - b + c)/2, c. */
    private void point(float a, float b, float c, int d, int xi0, int block) {
        uPacked[xi0 * block + d] = a;
        uPacked[(xi0 + 1) * block + d] = 0.5f * (a + b + c);
        uPacked[(xi0 + 2) * block + d] = 0.5f * (a - b + c);
        uPacked[(xi0 + 3) * block + d] = c;
    }

    private void runSlices(int t0, int t1) {
        for (int t = t0; t < t1; t++) {
            int c0 = (int) ((long) chunks * t / slices), c1 = (int) ((long) chunks * (t + 1) / slices);
            for (int c = c0; c < c1; c++) chunk(c, ws[t]);
        }
    }

    private void chunk(int chunk, Workspace s) {
        int i0 = chunk * batch, bc = Math.min(batch, g.n() - i0), c = g.c(), k = g.k(), plane = g.inPixels();
        for (int b = 0; b < bc; b++) {
            int xOff = (i0 + b) * c * plane;
            float[] src = xd;
            if (md != null) {
                Kernels.reluBackward(c * plane, md, xOff, xd, xOff, maskedD, xOff);
                src = maskedD;
            }
            for (int ch = 0; ch < c; ch++) {
                WinogradVector.input(g.h(), tw, src, xOff + ch * plane, s.split, s.rt, s.v, ch * ld + b * tiles, vs);
            }
        }
        int n = bc * tiles;
        for (int xi = 0; xi < 16; xi++) {
            ImplicitGemmVector.multiply(mr, k, n, c, uPacked, xi * rowsK * c, s.v, xi * vs, null, ld, s.m, xi * ms, ld);
        }
        int outPlane = g.outPixels();
        for (int b = 0; b < bc; b++) {
            for (int f = 0; f < k; f++) {
                WinogradVector.output(th, tw, s.m, f * ld + b * tiles, ms, bd == null ? 0f : bd[f], relu,
                        s.out, yd, ((i0 + b) * k + f) * outPlane);
            }
        }
    }
}
