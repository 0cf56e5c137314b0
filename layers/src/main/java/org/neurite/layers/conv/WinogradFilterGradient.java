package org.neurite.layers.conv;

import java.util.Arrays;
import org.neurite.runtime.Kernels;
import org.neurite.runtime.Parallel;

/**
 * The filter gradient of a convolution that {@link Winograd} runs forward, by the same F(2x2, 3x3)
 * transforms. The forward is the identity y = A^T [sum over c of U (.) V] A per tile, so its
 * gradient with respect to the filters, through the same identity, is exact:
 * <pre>
 *   Z_xi [T, K]   = (A dY_tile A^T)[xi]              the output gradient's tiles (4x4 from 2x2)
 *   V_xi [C, T]   = (B^T d B)[xi]                    as in the forward
 *   dU_xi [C, K] += V_xi * Z_xi                      16 products over the tiles, k = T
 *   dW [k, c]    += G^T dU[c, k] G                   3x3 from 4x4, once per call
 * </pre>
 * 16 multiply-adds per channel, filter and tile instead of 36, and the contraction runs over the
 * tiles of a chunk of samples, a long k where the direct dW's product is over the pixels of one
 * sample. dY is transposed once per sample ([P, K], {@link TransposeVector}), so Z is built with
 * vectors over K and the products are ImplicitGemm's filter-gradient tiles (broadcasts from V,
 * vectors over K). dU is summed per slice and the slices are added in order, so the result
 * depends only on the thread count; the bias gradient is summed per slice in double. The sum of
 * the slices and the transform back run split by filters over the threads.
 */
final class WinogradFilterGradient {
    /** V (and Z) floats per chunk of samples, at most (unless one sample needs more): 32 KiB each (as {@link Winograd#CHUNK_FLOATS}). */
    static final int CHUNK_FLOATS = 1 << 13;
    private static final int SLICES_PER_THREAD = 1;
    private static final int SKEW = 16;         // as Winograd's: no 4 KiB strides between the 16 blocks
    /** Filters per parallel chunk of the slices' sum and G^T dU G (on the calling thread alone: 0.2 ms a call at 64x64). */
    private static final int FILTER_GRAIN = 16;
    /**
     * Fewer input channels keep the direct filter gradient. At 16 (ResNet's first stage, 32x32) a
     * sample's V and Z are 256 KiB each and leave the L2 cache, and alone it measured 6.2 ms
     * against 5.7 for the direct product (batch 64, one thread, 5-row tiles), but with 4-row
     * tiles (16 channels: 4 + 4 + 4 + 4 rows, not 5 + 5 + 5 + 4) it measured 12-15% faster, and
     * W4's steps 2.3% faster (two models stepped alternately in one JVM, median of 150 paired
     * steps, twice). 8 channels are untested and keep the direct product.
     */
    static final int MIN_CHANNELS = 16;
    /** G [4, 3] = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1], row b. */
    private static final double[][] G = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};

    private final ConvGeometry g;
    private final int tw, th, tiles;
    private final int mr;                       // channels per filter-gradient tile (ImplicitGemm.panelHeight: 4 at 16)
    private final int[] gatherRows;             // TransposeVector's row offsets for dY planes (P apart)
    private int threads, batch, chunks, slices;
    private int ld, vs, zs;                     // V_xi columns and the blocks' strides
    private int[] rowOff;                       // V_xi row c at c * ld
    private Workspace[] ws = new Workspace[0];

    private float[] xd, dyd, yd, dwd;
    private boolean relu, wantDb;
    private final Parallel.RangeBody body = this::runSlices;
    private final Parallel.RangeBody backBody = this::filtersBack;

    private final class Workspace {
        final float[] v;                        // V_xi [C, ld], vs apart
        final float[] z;                        // Z_xi [ld, K], zs apart
        final float[] dyT;                      // one sample's dY transposed [P, K]
        final float[] masked;                   // one sample's dY * relu'(y) [K, P]
        final float[] split, rt;                // the input transform's scratch (see WinogradVector#input)
        final float[] du;                       // this slice's dU [16, C, K]
        final double[] db;                      // this slice's dB [K]

        Workspace() {
            v = new float[16 * vs];
            z = new float[16 * zs];
            dyT = new float[g.outPixels() * g.k()];
            masked = new float[g.k() * g.outPixels()];
            split = new float[Math.max(2 * (tw + 1), WinogradVector.V)];
            rt = new float[8 * (th + 1) * tw];
            du = new float[16 * g.c() * g.k()];
            db = new double[g.k()];
        }
    }

    /** Shapes {@link Winograd} fits, at least {@link #MIN_CHANNELS} input channels, and K filters the filter-gradient tiles take. */
    static boolean applies(ConvGeometry g) {
        return Winograd.fits(g) && g.c() >= MIN_CHANNELS && ImplicitGemm.filterGradientApplies(g.k()) && g.k() % TransposeVector.V == 0;
    }

    WinogradFilterGradient(ConvGeometry g) {
        if (!applies(g)) throw new IllegalArgumentException("Winograd filter gradient does not apply to " + g);
        this.g = g;
        this.tw = g.w() / 2;
        this.th = g.h() / 2;
        this.tiles = th * tw;
        this.mr = ImplicitGemm.panelHeight(g.c());
        this.gatherRows = TransposeVector.rowOffsets(g.outPixels());
    }

    /** Samples per chunk (tests and reports). */
    int batch() {
        if (threads != Parallel.threads()) layout();
        return batch;
    }

    /**
     * dW += the filter gradient for input x and output gradient dY (masked by relu'(y) when
     * {@code relu}); dB += its bias gradient when db is not null. Shapes are checked by the caller.
     */
    void run(float[] x, float[] dy, float[] y, boolean relu, float[] dw, float[] db) {
        if (threads != Parallel.threads()) layout();
        xd = x;
        dyd = dy;
        yd = y;
        this.relu = relu;
        wantDb = db != null;
        try {
            Parallel.forEach(slices, body);
        } finally {
            xd = dyd = yd = null;
        }
        dwd = dw;
        try {
            Parallel.forRange(g.k(), FILTER_GRAIN, backBody);
        } finally {
            dwd = null;
        }
        if (wantDb) {
            for (int k = 0; k < g.k(); k++) {
                double sum = 0;
                for (int t = 0; t < slices; t++) sum += ws[t].db[k];
                db[k] += (float) sum;
            }
        }
    }

    /** Chunks of samples whose V fits {@link #CHUNK_FLOATS}, but every thread gets one. */
    private void layout() {
        threads = Parallel.threads();
        batch = Winograd.samplesPerChunk(g, tiles, CHUNK_FLOATS, threads);
        chunks = Math.ceilDiv(g.n(), batch);
        slices = threads == 1 ? 1 : Math.min(SLICES_PER_THREAD * threads, chunks);
        ld = ImplicitGemm.columns(batch * tiles);
        vs = g.c() * ld + SKEW;
        zs = ld * g.k() + SKEW;
        rowOff = new int[g.c()];
        for (int c = 0; c < g.c(); c++) rowOff[c] = c * ld;
        ws = new Workspace[slices];
        for (int t = 0; t < slices; t++) ws[t] = new Workspace();
    }

    private void runSlices(int t0, int t1) {
        for (int t = t0; t < t1; t++) {
            Workspace s = ws[t];
            Arrays.fill(s.du, 0f);
            Arrays.fill(s.db, 0);
            int c0 = (int) ((long) chunks * t / slices), c1 = (int) ((long) chunks * (t + 1) / slices);
            for (int c = c0; c < c1; c++) chunk(c, s);
        }
    }

    private void chunk(int chunk, Workspace s) {
        int i0 = chunk * batch, bc = Math.min(batch, g.n() - i0), c = g.c(), k = g.k(), plane = g.inPixels(), p = g.outPixels();
        for (int b = 0; b < bc; b++) {
            int xOff = (i0 + b) * c * plane, yOff = (i0 + b) * k * p;
            for (int ch = 0; ch < c; ch++) {
                WinogradVector.input(g.h(), tw, xd, xOff + ch * plane, s.split, s.rt, s.v, ch * ld + b * tiles, vs);
            }
            float[] gm = dyd;
            int gOff = yOff;
            if (relu) {
                Kernels.reluBackward(k * p, yd, yOff, dyd, yOff, s.masked, 0);
                gm = s.masked;
                gOff = 0;
            }
            if (wantDb) {
                for (int f = 0; f < k; f++) {
                    double sum = 0;
                    for (int j = gOff + f * p, end = j + p; j < end; j++) sum += gm[j];
                    s.db[f] += sum;
                }
            }
            TransposeVector.transpose(k, p, gm, gOff, p, gatherRows, s.dyT);
            WinogradVector.outputGradient(th, tw, k, s.dyT, s.z, b * tiles * k, zs);
        }
        int n = bc * tiles;      // the products run over exactly the chunk's tiles
        for (int xi = 0; xi < 16; xi++) {
            ImplicitGemmVector.filterGradient(mr, c, k, n, s.v, xi * vs, rowOff, s.z, xi * zs, s.du, xi * c * k);
        }
    }

    /**
     * dW [k, c] += G^T D G for filters [f0, f1), D [a, b] = dU_{4a+b} [c, k] summed over the
     * slices in order (in double): column b of D gives row b of E = G^T D, and E G adds row b of
     * G times E's column b to the 3x3. Channels outside, filters inside: dU [xi, c, k] has the
     * filters contiguous, so the 64 cache lines (16 points, four slices) a channel reads serve
     * 16 filters in a row (filters outside read a new line for every value: 1.6% of a W4 step).
     */
    private void filtersBack(int f0, int f1) {
        int c = g.c(), k = g.k(), ck = c * k;
        float[] dw = dwd;
        for (int ch = 0; ch < c; ch++) {
            for (int f = f0; f < f1; f++) {
                int o = ch * k + f;
                double w00 = 0, w01 = 0, w02 = 0, w10 = 0, w11 = 0, w12 = 0, w20 = 0, w21 = 0, w22 = 0;
                for (int b = 0; b < 4; b++) {
                    double d0 = sliceSum(b * ck + o), d1 = sliceSum((4 + b) * ck + o), d2 = sliceSum((8 + b) * ck + o), d3 = sliceSum((12 + b) * ck + o);
                    double e0 = d0 + 0.5 * (d1 + d2), e1 = 0.5 * (d1 - d2), e2 = 0.5 * (d1 + d2) + d3;   // G^T's rows on column b
                    double[] gb = G[b];
                    w00 += e0 * gb[0];
                    w01 += e0 * gb[1];
                    w02 += e0 * gb[2];
                    w10 += e1 * gb[0];
                    w11 += e1 * gb[1];
                    w12 += e1 * gb[2];
                    w20 += e2 * gb[0];
                    w21 += e2 * gb[1];
                    w22 += e2 * gb[2];
                }
                int w = (f * c + ch) * 9;
                dw[w] += (float) w00;
                dw[w + 1] += (float) w01;
                dw[w + 2] += (float) w02;
                dw[w + 3] += (float) w10;
                dw[w + 4] += (float) w11;
                dw[w + 5] += (float) w12;
                dw[w + 6] += (float) w20;
                dw[w + 7] += (float) w21;
                dw[w + 8] += (float) w22;
            }
        }
    }

    /** dU [j] summed over the slices, in slice order. */
    private double sliceSum(int j) {
        double sum = 0;
        for (int t = 0; t < slices; t++) sum += ws[t].du[j];
        return sum;
    }
}
