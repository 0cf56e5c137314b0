package org.neurite.layers.conv;

import java.util.Arrays;
import org.neurite.runtime.Blas;
import org.neurite.runtime.Kernels;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * The CPU convolution engine: im2col + GEMM over chunks of several samples, batch-parallel.
 *
 * <p>The batch is cut into chunks of {@link #batch} samples, and the chunks into contiguous slices,
 * one per thread ({@link #slices}), claimed by whichever thread is free ({@link Parallel#forEach}); slice t uses
 * workspace t, so a step allocates nothing. A chunk's columns sit
 * side by side in one matrix {@code col_g [Q, B*P]} (Q = C/groups*R*S, P = OH*OW), so each GEMM has
 * the long n = B*P (LeNet's conv2 alone has P = 100, a third of a tile wasted per sample). Per chunk
 * and group g:
 * <pre>
 *   forward         Y_g [kg, B*P]  = w_g [kg, Q] * col_g [Q, B*P]; y = act(Y_g + b) scattered to NCHW
 *   backward        G_g [kg, B*P]  = dY gathered from NCHW (times relu'(y) when the ReLU is fused)
 *                   dW_g [kg, Q]  += G_g * col_g^T                  (k = B*P: one long product)
 *                   dcol_g [Q, B*P] = w_g^T * G_g;  dX = col2im(dcol_g)
 *                   dB            += row sums of G
 * </pre>
 * A stride-1 "same" convolution computes dX as a forward convolution instead ({@link FlippedData}),
 * a stride-2 3x3 one as four stride-1 products, one per input phase ({@link PhasedData}).
 * A small filter bank (K*Q cells, {@link LaneDots#applies}) sums dW in vector lanes over the
 * slice's chunks instead of the GEMM, and adds the lanes once per slice.
 * B is chosen so a chunk's columns stay in the L2 cache ({@link #CHUNK_FLOATS}). Every element of
 * Y is the same GEMM dot product as with one sample per GEMM, so the output does not depend on B.
 * Filter and bias gradients are summed per slice, then the slices are added in order: the result
 * depends only on the thread count. The whole backward pass is one parallel region.
 *
 * <p>When the whole batch's columns fit in {@link #KEEP_COLUMNS_MAX} floats (LeNet's layers do),
 * forward keeps them and backward reuses them instead of running im2col again, as PyTorch's CPU
 * convolution keeps its "finput"; backward must then get the x of the last forward (the module
 * rule). Larger layers recompute the columns per chunk. A pointwise (1x1, stride 1, no padding)
 * convolution skips im2col: one sample per chunk, its input channels already are col_g.
 *
 * <p>With the Vector API, stride-1 convolutions and strided ones with more than one tap skip the column matrix
 * altogether ({@link ImplicitGemm}, one sample per chunk): the GEMM reads its B from the padded
 * input ({@link WideColumns}) or from shifted copies of it ({@link ShiftedPlanes}: rows narrower
 * than a tile, strides), writes y in place where tiles fall on output rows, and dW is the
 * transposed product over pixels ({@link ImplicitGemm#filterGradient}) or {@link LaneDots}.
 *
 * <p>3x3 "same" convolutions with at least 32 input and output channels on even planes (ResNet's
 * second and third stages) run forward by Winograd's F(2x2, 3x3) ({@link Winograd}), and so their
 * flipped dX too; their dW runs by the same transforms ({@link WinogradFilterGradient}, from 16
 * input channels: the first stage's too), whichever path computed dX.
 * {@code -Dneurite.winograd=false} keeps them on the direct paths.
 */
final class ConvCpu implements ConvOp {
    private static final int KEEP_COLUMNS_MAX = 1 << 22;    // 4 Mi floats, 16 MiB
    /** Column floats per chunk, at most (unless one sample needs more): 256 KiB, half an L2. */
    static final int CHUNK_FLOATS = 1 << 16;
    private static final int SLICES_PER_THREAD = 1;
    private static final int TRANSPOSE_BLOCK = 8;

    private final ConvGeometry g;
    private final Shape xShape, wShape, yShape;
    private final int q;                // rows of col_g: C/groups*R*S
    private final int p;                // output pixels: OH*OW
    private final boolean shifted;      // implicit on ShiftedPlanes (rows narrower than a tile, or strided)
    private final boolean wide;         // stride 1: the WideColumns layout (unless shifted)
    private final int pw;               // GEMM columns from one output row to the next: PW wide, else OW
    private final int pp;               // GEMM columns per sample: WideColumns.pixels wide, else P (shifted too)
    private final int chunkFloats;      // column floats a chunk may hold
    private final boolean laneDots;     // dW through LaneDots rather than the GEMM
    private final boolean implicit;     // wide or shifted: ImplicitGemm on the padded input or its copies, one sample per chunk
    private final int ldr;              // implicit: GEMM columns per sample, pp rounded up to whole tiles
    private final int[] taps;           // implicit: where tap (c, r, s)'s run starts in the padded planes
    private final float[] wPacked;      // implicit: the filters packed for ImplicitGemm, per group
    private final int[] segments;       // implicit with row tiles: where each V-pixel output segment starts, or null
    private final boolean tapsDw;       // implicit: dW^T [Q, kg] per group by ImplicitGemm.filterGradient, in ws[t].dw
    private int[] gatherRows;           // tapsDw: TransposeVector's offsets of G's rows, made on first use
    private int[] dyRows;               // tapsDw: TransposeVector's offsets of dY's planes (P apart), made on first use
    private int threads;                // the thread count batch was chosen for
    private int batch;                  // samples per chunk
    private int chunks;                 // ceil(N / batch)
    private FlippedData flipped;        // backward data as a forward convolution, made on first use
    private boolean flipAllowed;        // FlippedData applies (tests switch it off)
    private ConvCpu im2colData;         // strided implicit: dX through im2col's chunks of samples, made on first use
    private PhasedData phased;          // stride-2 3x3: dX as four stride-1 products, made on first use
    private boolean phasedAllowed;      // PhasedData applies (tests switch it off)
    private final Winograd winograd;    // 3x3 "same" convolutions' forward (so FlippedData's dX too), or null
    private boolean winogradAllowed;    // tests switch it off
    private WinogradFilterGradient winogradDw;  // dW by the same transforms, made on first use
    private boolean winogradDwAllowed;  // WinogradFilterGradient applies (tests switch it off)
    private final float[] kept;         // per chunk and group: col_g [Q, Bc*P] of the last forward, or null
    private Workspace[] ws = new Workspace[0];

    // The operands of the running call, read by the prebuilt loop bodies (no capture, no garbage).
    private float[] xd, wd, bd, yd, dyd, dxd;
    private float[] md, maskedD;        // forwardMasked: the mask's source and the masked input written
    private boolean relu, wantDx, wantDw, wantDb;
    private int slices;
    private final Parallel.RangeBody forwardBody = this::forwardSlices;
    private final Parallel.RangeBody backwardBody = this::backwardSlices;

    /** One thread's scratch. */
    private static final class Workspace {
        final float[] col;      // col_g or dcol_g [Q, B*P] (unused when pointwise)
        final float[] rows;     // forward: Y_g [kg, B*P]; backward: G [K, B*P]
        final float[] pad;      // wide and padded: one sample's group of padded planes [cg, HP, PW] (shifted: its copies)
        final float[] dpad;     // the same for dX (its border gets written, pad's must stay zero)
        final float[] dw;       // this slice's dW [K, Q]
        final double[] db;      // this slice's dB [K]
        final float[] dwLanes;  // dW [K, Q, V] in lanes when laneDots, else empty
        final float[] gt;       // tapsDw: one group's G transposed [pp, kg], else empty

        Workspace(int colSize, int rowsSize, int padSize, int dwSize, int k, int lanesSize, int gtSize) {
            col = new float[colSize];
            rows = new float[rowsSize];
            pad = new float[padSize];
            dpad = new float[padSize];
            dw = new float[dwSize];
            db = new double[k];
            dwLanes = new float[lanesSize];
            gt = new float[gtSize];
        }
    }

    ConvCpu(ConvGeometry g) {
        this(g, true);
    }

    /** {@code keepColumns} false always recomputes the columns (tests cover both paths with it). */
    ConvCpu(ConvGeometry g, boolean keepColumns) {
        this(g, keepColumns, CHUNK_FLOATS);
    }

    /** {@code chunkFloats}: the column floats a chunk may hold (tests vary it to vary B). */
    ConvCpu(ConvGeometry g, boolean keepColumns, int chunkFloats) {
        this(g, keepColumns, chunkFloats, true);
    }

    /** {@code implicitAllowed} false keeps stride-1 convolutions on im2col + GEMM (tests compare the two). */
    ConvCpu(ConvGeometry g, boolean keepColumns, int chunkFloats, boolean implicitAllowed) {
        this.g = g;
        this.xShape = g.inputShape();
        this.wShape = g.filterShape();
        this.yShape = g.outputShape();
        this.q = g.colRows();
        this.p = g.outPixels();
        this.shifted = implicitAllowed && ShiftedPlanes.applies(g);
        this.wide = WideColumns.applies(g) && !shifted;
        this.pw = wide ? WideColumns.rowWidth(g) : g.ow();
        this.pp = wide ? WideColumns.pixels(g) : p;
        this.chunkFloats = chunkFloats;
        this.laneDots = LaneDots.applies(g.kg(), q);
        this.flipAllowed = FlippedData.applies(g);
        this.phasedAllowed = implicitAllowed && PhasedData.applies(g);
        this.winograd = implicitAllowed && Winograd.applies(g) ? new Winograd(g) : null;
        this.winogradAllowed = winograd != null;
        this.winogradDwAllowed = implicitAllowed && WinogradFilterGradient.applies(g);
        this.implicit = implicitAllowed && (wide || shifted) && ImplicitGemm.AVAILABLE;
        this.ldr = implicit ? ImplicitGemm.columns(pp) : 0;
        this.taps = shifted ? ShiftedPlanes.tapOffsets(g) : implicit ? tapOffsets(g) : null;
        this.wPacked = implicit ? new float[g.groups() * ImplicitGemm.rows(g.kg()) * q] : null;
        this.segments = shifted ? ShiftedPlanes.segmentStarts(g)
                : implicit && ImplicitGemm.rowTiles(g) ? ImplicitGemm.segmentStarts(g) : null;
        this.tapsDw = implicit && ImplicitGemm.filterGradientApplies(g.kg());
        long all = (long) g.n() * g.groups() * q * pp;
        this.kept = !keepColumns || g.isPointwise() || implicit || all > KEEP_COLUMNS_MAX ? null : new float[(int) all];
        layout();
    }

    /**
     * Chooses B for the current thread count: as many samples as fit in {@link #chunkFloats}, but
     * no more than a thread's share, so every thread gets a chunk. B (and so the rounding of the
     * filter gradient) depends only on the shape and the thread count.
     */
    private void layout() {
        threads = Parallel.threads();
        int perThread = Math.ceilDiv(g.n(), threads);
        batch = g.isPointwise() || implicit ? 1 : Math.max(1, Math.min(perThread, chunkFloats / Math.max(1, q * pp)));
        chunks = Math.ceilDiv(g.n(), batch);
        int colSize = g.isPointwise() ? 0 : q * ld(batch);
        int rowsSize = (implicit ? Math.max(g.k(), ImplicitGemm.rows(g.kg())) : g.k()) * ld(batch);
        // implicit: every sample is copied into the planes, with readable slack for the last tile
        int padSize = shifted ? ShiftedPlanes.size(g)
                : implicit ? g.cg() * WideColumns.plane(g) + ldr - pp
                : wide && WideColumns.padded(g) ? g.cg() * WideColumns.plane(g) : 0;
        int need = slices();
        if (ws.length < need || ws[0].col.length != colSize || ws[0].rows.length != rowsSize) {
            ws = new Workspace[need];
            int lanesSize = laneDots && !tapsDw ? g.k() * q * LaneDots.lanes() : 0;
            int gtSize = tapsDw ? pp * g.kg() : 0;
            for (int t = 0; t < need; t++) ws[t] = new Workspace(colSize, rowsSize, padSize, g.k() * q, g.k(), lanesSize, gtSize);
        }
    }

    @Override public ConvGeometry geometry() { return g; }

    /** GEMM columns of a chunk of bc samples: its rows' stride in col, Y and G. */
    private int ld(int bc) {
        return implicit ? ldr : bc * pp;
    }

    /** Row (c*R + r)*S + s of the column matrix starts at c*HP*PW + r*PW + s of the padded planes. */
    private static int[] tapOffsets(ConvGeometry g) {
        int[] off = new int[g.colRows()];
        int pw = WideColumns.rowWidth(g), plane = WideColumns.plane(g), row = 0;
        for (int c = 0; c < g.cg(); c++) {
            for (int r = 0; r < g.r(); r++) {
                for (int s = 0; s < g.s(); s++) off[row++] = c * plane + r * pw + s;
            }
        }
        return off;
    }

    /** Switches the flipped-filter backward data off (tests compare it with col2im). */
    void useFlippedData(boolean on) {
        flipAllowed = on && FlippedData.applies(g);
    }

    /** Switches the phased backward data of stride-2 convolutions off (tests compare it with im2col). */
    void usePhasedData(boolean on) {
        phasedAllowed = on && PhasedData.applies(g);
    }

    /** Switches the Winograd forward and filter gradient off (tests compare them with the direct products). */
    void useWinograd(boolean on) {
        winogradAllowed = on && winograd != null;
        winogradDwAllowed = on && WinogradFilterGradient.applies(g);
    }

    /** True when the forward runs on {@link Winograd}. */
    boolean winograd() {
        return winogradAllowed;
    }

    /** Samples per chunk (for tests and reports). */
    int batch() { return batch; }

    @Override public void forward(Tensor x, Tensor w, Tensor b, Tensor y) {
        forward(x, w, b, y, false);
    }

    @Override public boolean fusesRelu() { return true; }

    @Override public void forward(Tensor x, Tensor w, Tensor b, Tensor y, boolean relu) {
        forward(x, null, null, w, b, y, relu);
    }

    /** True when {@link #forwardMasked} masks sample by sample (the implicit and Winograd paths). */
    boolean masksInPlace() {
        return implicit || winogradAllowed;
    }

    /**
     * The forward convolution of x masked by relu'(m) (x where m > 0, else 0), no bias: each
     * sample is masked into {@code masked} just before its planes are padded, in the same region,
     * instead of in a pass of its own over the whole batch ({@link FlippedData}: dY masked by the
     * fused ReLU of the layer's output). Only where {@link #masksInPlace}.
     */
    void forwardMasked(Tensor x, Tensor m, Tensor masked, Tensor w, Tensor y) {
        if (!masksInPlace()) throw new IllegalStateException("masked forward needs the implicit path");
        check(m, xShape, "mask");
        check(masked, xShape, "masked");
        forward(x, m.data(), masked.data(), w, null, y, false);
    }

    private void forward(Tensor x, float[] mask, float[] maskedOut, Tensor w, Tensor b, Tensor y, boolean relu) {
        check(x, xShape, "x");
        check(w, wShape, "w");
        check(y, yShape, "y");
        if (b != null && b.size() != g.k()) throw new IllegalArgumentException("bias " + b.shape() + " for " + g.k() + " filters");
        if (threads != Parallel.threads()) layout();   // backward keeps the layout forward used
        if (winogradAllowed) {
            winograd.forward(x.data(), mask, maskedOut, w.data(), b == null ? null : b.data(), y.data(), relu);
            return;
        }
        xd = x.data();
        wd = w.data();
        bd = b == null ? null : b.data();
        yd = y.data();
        md = mask;
        maskedD = maskedOut;
        this.relu = relu;
        if (implicit) {
            int panels = ImplicitGemm.rows(g.kg()) * q;
            for (int grp = 0; grp < g.groups(); grp++) ImplicitGemm.pack(g.kg(), q, wd, grp * g.kg() * q, wPacked, grp * panels);
        }
        run(forwardBody);
    }

    private void forwardSlices(int t0, int t1) {
        for (int t = t0; t < t1; t++) {
            Workspace s = ws[t];
            for (int c = firstChunk(t); c < firstChunk(t + 1); c++) forwardChunk(c, s);
        }
    }

    private void forwardChunk(int c, Workspace s) {
        int i0 = c * batch, bc = Math.min(batch, g.n() - i0), kg = g.kg(), ld = ld(bc);
        for (int grp = 0; grp < g.groups(); grp++) {
            float[] col;
            int colOff;
            if (implicit) {     // one sample: its padded planes are B
                int xOff = (i0 * g.c() + grp * g.cg()) * g.inPixels();
                if (md != null) {
                    Kernels.reluBackward(g.cg() * g.inPixels(), md, xOff, xd, xOff, maskedD, xOff);
                    implicitInput(maskedD, xOff, s.pad);
                } else {
                    implicitInput(xd, xOff, s.pad);
                }
                if (segments != null) {     // straight into y, bias and ReLU applied
                    ImplicitGemm.multiplyRows(kg, p, q, wPacked, grp * ImplicitGemm.rows(kg) * q, s.pad, 0, segments, taps,
                            yd, (i0 * g.k() + grp * kg) * p, p, bd, grp * kg, relu);
                    continue;
                }
                ImplicitGemm.multiply(kg, pp, q, wPacked, grp * ImplicitGemm.rows(kg) * q, s.pad, 0, taps, s.rows, 0, ld);
                scatter(i0, 1, grp, s.rows, 0, ld);
                continue;
            }
            if (g.isPointwise()) {
                col = xd;
                colOff = (i0 * g.c() + grp * g.cg()) * g.inPixels();
            } else {
                col = kept == null ? s.col : kept;
                colOff = kept == null ? 0 : keptOffset(c, bc, grp);
                columns(i0, bc, grp, col, colOff, ld, s);
            }
            // One plain sample: the GEMM writes y in place; else Y_g, then scattered sample by sample.
            boolean direct = bc == 1 && !wide;
            float[] out = direct ? yd : s.rows;
            int outOff = direct ? (i0 * g.k() + grp * kg) * p : 0;
            Blas.sgemm(false, false, kg, ld, q, 1f, wd, grp * kg * q, q, col, colOff, ld, 0f, out, outOff, ld);
            scatter(i0, bc, grp, out, outOff, ld);
        }
    }

    /** y of samples [i0, i0+bc), group grp = act(Y_g + b), Y_g at outOff in out, rows ld apart. */
    private void scatter(int i0, int bc, int grp, float[] out, int outOff, int ld) {
        int kg = g.kg();
        for (int b = 0; b < bc; b++) {
            for (int k = 0; k < kg; k++) {
                int kk = grp * kg + k;
                float bias = bd == null ? 0f : bd[kk];
                int from = outOff + k * ld + b * pp, to = ((i0 + b) * g.k() + kk) * p;
                for (int i = 0; i < g.oh(); i++) epilogue(out, from + i * pw, yd, to + i * g.ow(), bias);
            }
        }
    }

    /** The implicit GEMM's B for one sample's group of channels at xOff: its padded planes, or its shifted copies. */
    private void implicitInput(float[] x, int xOff, float[] dst) {
        if (shifted) ShiftedPlanes.fill(g, x, xOff, dst);
        else WideColumns.pad(g, x, xOff, dst);
    }

    /** The columns of samples [i0, i0+bc), group grp, into col at colOff (rows ld apart). */
    private void columns(int i0, int bc, int grp, float[] col, int colOff, int ld, Workspace s) {
        for (int b = 0; b < bc; b++) {
            int xOff = ((i0 + b) * g.c() + grp * g.cg()) * g.inPixels();
            if (!wide) {
                Im2col.im2col(g, xd, xOff, col, colOff + b * pp, ld);
            } else if (WideColumns.padded(g)) {
                WideColumns.pad(g, xd, xOff, s.pad);
                WideColumns.im2col(g, s.pad, 0, col, colOff + b * pp, ld);
            } else {
                WideColumns.im2col(g, xd, xOff, col, colOff + b * pp, ld);
            }
        }
    }

    /** dst = act(src + bias) over one output row of OW pixels (src may be dst). */
    private void epilogue(float[] src, int from, float[] dst, int to, float bias) {
        if (relu || bd != null || src != dst) Kernels.addBias(g.ow(), src, from, bias, relu, dst, to);
    }

    @Override public void backwardData(Tensor dY, Tensor w, Tensor dX) {
        check(dX, xShape, "dX");
        check(w, wShape, "w");
        backward(null, null, dY, w, false, dX, null, null);
    }

    @Override public void backwardFilter(Tensor x, Tensor dY, Tensor dW) {
        check(dW, wShape, "dW");
        backward(x, null, dY, null, false, null, dW, null);
    }

    @Override public void backwardBias(Tensor dY, Tensor dB) {
        if (dB.size() != g.k()) throw new IllegalArgumentException("bias gradient " + dB.shape() + " for " + g.k() + " filters");
        backward(null, null, dY, null, false, null, null, dB);
    }

    @Override public void backward(Tensor x, Tensor y, Tensor dY, Tensor w, boolean relu, Tensor dX, Tensor dW, Tensor dB) {
        check(dY, yShape, "dY");
        if (relu) check(y, yShape, "y");
        if (dW != null) check(x, xShape, "x");
        if (dX != null) check(w, wShape, "w");
        if (dX != null && flipAllowed) {
            if (flipped == null) flipped = new FlippedData(g);
            dY = flipped.run(dY, y, relu, w, dX);      // masked by relu'(y) once, for dW and dB too
            relu = false;
            dX = null;
            if (dW == null && dB == null) return;
        }
        if (dX != null && phasedAllowed) {
            // masks dY by a fused ReLU per sample as it copies it; G below masks again for dW (ResNet's
            // strided convolutions feed batch norm and fuse no ReLU, so that case is not optimised)
            if (phased == null) phased = new PhasedData(g);
            phased.run(dY, y, relu, w, dX);
            dX = null;
            if (dW == null && dB == null) return;
        }
        if (dW != null && winogradDwAllowed) {
            // dX still to do (FlippedData switched off): the paths below, then dW here, so dW is
            // the same whichever path computed dX
            if (dX != null) backward(x, y, dY, w, relu, dX, null, null);
            if (winogradDw == null) winogradDw = new WinogradFilterGradient(g);
            winogradDw.run(x.data(), dY.data(), relu ? y.data() : null, relu, dW.data(), dB == null ? null : dB.data());
            return;
        }
        if (dX != null && shifted && !WideColumns.applies(g)) {
            // strided: W^T G per chunk of several samples and col2im (the implicit layout has one
            // sample per chunk, too short a GEMM for this product: 32->64@16x16 2.3 vs 1.5 ms)
            if (im2colData == null) im2colData = new ConvCpu(g, false, chunkFloats, false);
            im2colData.backward(null, y, dY, w, relu, dX, null, null);
            dX = null;
            if (dW == null && dB == null) return;
        }
        xd = x == null ? null : x.data();
        yd = y == null ? null : y.data();
        dyd = dY.data();
        wd = w == null ? null : w.data();
        dxd = dX == null ? null : dX.data();
        this.relu = relu;
        wantDx = dX != null;
        wantDw = dW != null;
        wantDb = dB != null;
        run(backwardBody);
        // Parameter gradients += the slices' partials, always in slice order.
        if (wantDw && tapsDw) {
            float[] dw = dW.data();
            int kg = g.kg();
            for (int grp = 0, base = 0; grp < g.groups(); grp++, base += kg * q) {
                for (int k = 0; k < kg; k++) {
                    for (int j = 0; j < q; j++) {
                        float sum = 0f;
                        for (int t = 0; t < slices; t++) sum += ws[t].dw[base + j * kg + k];
                        dw[base + k * q + j] += sum;
                    }
                }
            }
        } else if (wantDw) {
            float[] dw = dW.data();
            for (int j = 0; j < dw.length; j++) {
                float sum = 0f;
                for (int t = 0; t < slices; t++) sum += ws[t].dw[j];
                dw[j] += sum;
            }
        }
        if (wantDb) {
            float[] db = dB.data();
            for (int k = 0; k < g.k(); k++) {
                double sum = 0;
                for (int t = 0; t < slices; t++) sum += ws[t].db[k];
                db[k] += (float) sum;
            }
        }
    }

    private void backwardSlices(int t0, int t1) {
        for (int t = t0; t < t1; t++) {
            Workspace s = ws[t];
            if (wantDb) Arrays.fill(s.db, 0);
            if (wantDw && tapsDw) Arrays.fill(s.dw, 0f);
            if (wantDw && laneDots && !tapsDw) Arrays.fill(s.dwLanes, 0f);
            for (int c = firstChunk(t); c < firstChunk(t + 1); c++) backwardChunk(c, c == firstChunk(t), s);
            if (wantDw && laneDots && !tapsDw) LaneDots.fold(g.k() * q, s.dwLanes, s.dw);
        }
    }

    private void backwardChunk(int c, boolean first, Workspace s) {
        if (tapsDw && wantDw && !wantDx && !relu) {
            filterGradientFromDy(c, s);
            return;
        }
        int i0 = c * batch, bc = Math.min(batch, g.n() - i0), kg = g.kg(), ld = ld(bc), ow = g.ow();
        // G [K, B*P]: dY of the chunk's samples side by side (masked by the fused ReLU), zeros in
        // the wide layout's spare columns, and its row sums.
        float[] gm = s.rows;
        for (int b = 0; b < bc; b++) {
            for (int k = 0; k < g.k(); k++) {
                int src = ((i0 + b) * g.k() + k) * p, dst = k * ld + b * pp;
                // over the plane's P values in order, as filterGradientFromDy: dB does not depend on the path
                if (wantDb) s.db[k] += relu ? Kernels.reluRowSum(p, yd, src, dyd, src) : Kernels.rowSum(p, dyd, src);
                for (int i = 0; i < g.oh(); i++, src += ow, dst += pw) {
                    if (relu) {
                        Kernels.reluBackward(ow, yd, src, dyd, src, gm, dst);
                    } else {
                        System.arraycopy(dyd, src, gm, dst, ow);
                    }
                    if (i + 1 < g.oh()) {
                        for (int j = dst + ow; j < dst + pw; j++) gm[j] = 0f;
                    }
                }
                if (implicit) Arrays.fill(gm, k * ld + pp, (k + 1) * ld, 0f);  // the last tile's spare columns
            }
        }
        for (int grp = 0; grp < g.groups(); grp++) {
            int gOff = grp * kg * ld;
            if (wantDw) {
                float[] col;
                int colOff;
                if (g.isPointwise()) {
                    col = xd;
                    colOff = (i0 * g.c() + grp * g.cg()) * g.inPixels();
                } else if (kept != null) {
                    col = kept;
                    colOff = keptOffset(c, bc, grp);
                } else if (tapsDw || laneDots && implicit) {
                    col = null;         // the taps read the padded planes themselves
                    colOff = 0;
                    implicitInput(xd, (i0 * g.c() + grp * g.cg()) * g.inPixels(), s.pad);
                } else {
                    col = s.col;
                    colOff = 0;
                    columns(i0, bc, grp, col, 0, ld, s);
                }
                if (tapsDw) {
                    transpose(gm, gOff, ld, kg, s.gt);
                    ImplicitGemm.filterGradient(q, kg, pp, s.pad, 0, taps, s.gt, 0, s.dw, grp * kg * q);
                } else if (laneDots && implicit) {
                    LaneDots.accumulate(kg, q, ld, gm, gOff, ld, s.pad, 0, taps, s.dwLanes, grp * kg * q * LaneDots.lanes());
                } else if (laneDots) {
                    LaneDots.accumulate(kg, q, ld, gm, gOff, ld, col, colOff, ld, s.dwLanes, grp * kg * q * LaneDots.lanes());
                } else {
                    // k = the columns that hold pixels (implicit: col's spare columns are not written)
                    int kk = implicit ? pp : ld;
                    Blas.sgemm(false, true, kg, q, kk, 1f, gm, gOff, ld, col, colOff, ld, first ? 0f : 1f, s.dw, grp * kg * q, q);
                }
            }
            if (wantDx) {
                int xOff = (i0 * g.c() + grp * g.cg()) * g.inPixels();
                if (g.isPointwise()) {  // dcol is dX itself
                    Blas.sgemm(true, false, q, p, kg, 1f, wd, grp * kg * q, q, gm, gOff, ld, 0f, dxd, xOff, p);
                } else {
                    Blas.sgemm(true, false, q, ld, kg, 1f, wd, grp * kg * q, q, gm, gOff, ld, 0f, s.col, 0, ld);
                    for (int b = 0; b < bc; b++) {
                        int off = ((i0 + b) * g.c() + grp * g.cg()) * g.inPixels();
                        if (wide && WideColumns.padded(g)) {
                            WideColumns.clear(g, s.dpad);
                            WideColumns.col2im(g, s.col, b * pp, ld, s.dpad, 0);
                            WideColumns.unpad(g, s.dpad, dxd, off);
                            continue;
                        }
                        Arrays.fill(dxd, off, off + g.cg() * g.inPixels(), 0f);
                        if (wide) WideColumns.col2im(g, s.col, b * pp, ld, dxd, off);
                        else Im2col.col2im(g, s.col, b * pp, ld, dxd, off);
                    }
                }
            }
        }
    }

    /**
     * dW (and dB) of one sample (an implicit chunk) when G is dY itself (no ReLU to apply, no dX
     * wanting G): gt is dY transposed output row by output row, zeros in the wide layout's spare
     * columns, without building G first (a pass over the sample's dY written and read again).
     * Same sums in the same order as through G.
     */
    private void filterGradientFromDy(int c, Workspace s) {
        int kg = g.kg(), ow = g.ow(), oh = g.oh();
        if (dyRows == null) dyRows = TransposeVector.rowOffsets(p);
        for (int grp = 0; grp < g.groups(); grp++) {
            int src = (c * g.k() + grp * kg) * p;
            if (wantDb) {
                for (int k = 0; k < kg; k++) {
                    s.db[grp * kg + k] += Kernels.rowSum(p, dyd, src + k * p);
                }
            }
            for (int i = 0; i < oh; i++) {
                TransposeVector.transpose(kg, ow, dyd, src + i * ow, p, dyRows, s.gt, i * pw * kg);
                if (i + 1 < oh) Arrays.fill(s.gt, (i * pw + ow) * kg, (i + 1) * pw * kg, 0f);
            }
            implicitInput(xd, (c * g.c() + grp * g.cg()) * g.inPixels(), s.pad);
            ImplicitGemm.filterGradient(q, kg, pp, s.pad, 0, taps, s.gt, 0, s.dw, grp * kg * q);
        }
    }

    /** gt [pp, kg] = the pp columns of G's kg rows from gOff (rows ld apart), transposed. */
    private void transpose(float[] gm, int gOff, int ld, int kg, float[] gt) {
        if (LaneDots.AVAILABLE && kg % TransposeVector.V == 0) {
            if (gatherRows == null) gatherRows = TransposeVector.rowOffsets(ld);
            TransposeVector.transpose(kg, pp, gm, gOff, ld, gatherRows, gt);
            return;
        }
        // in blocks of 8 columns: the 8 rows of gt being written stay in L1 (row by row, a
        // 32-filter 16x16 layer wrote 286 rows 128 bytes apart for every filter)
        for (int j0 = 0; j0 < pp; j0 += TRANSPOSE_BLOCK) {
            int j1 = Math.min(pp, j0 + TRANSPOSE_BLOCK);
            for (int k = 0; k < kg; k++) {
                for (int j = j0, src = gOff + k * ld + j0; j < j1; j++, src++) gt[j * kg + k] = gm[src];
            }
        }
    }

    /** Runs {@code body} over the slices, then drops the call's array references. */
    private void run(Parallel.RangeBody body) {
        slices = slices();
        try {
            Parallel.forEach(slices, body);
        } finally {
            xd = wd = bd = yd = dyd = dxd = md = maskedD = null;
        }
    }

    /** Where chunk c (of bc samples), group grp starts in {@link #kept}. */
    private int keptOffset(int c, int bc, int grp) {
        return (c * batch * g.groups() + grp * bc) * q * pp;
    }

    /**
     * Slices of chunks, never an empty one: one per thread when there are chunks enough (as in
     * {@link Winograd}, {@link WinogradFilterGradient} and {@link PhasedData}). Two per thread,
     * claimed as threads come free, were meant to let a thread slowed by a shared core hand its
     * second slice over (W4's worker idled 8% of its time in one session), but on 2026-12-03 one
     * per thread made W4's steps 2.1-2.6% faster (two models stepped alternately in one JVM, 150
     * and 200 pairs, in both orders): each thread keeps one workspace hot in its cache, and the
     * slices' partial gradients are half as many. The count, and so the order of the gradient
     * sums, depends only on the thread count.
     */
    private int slices() {
        return threads == 1 ? 1 : Math.min(SLICES_PER_THREAD * threads, chunks);
    }

    /** First chunk of slice t. */
    private int firstChunk(int t) {
        return (int) ((long) chunks * t / slices);
    }

    private static void check(Tensor t, Shape expected, String what) {
        if (t == null || !t.shape().equals(expected)) {
            throw new IllegalArgumentException("ConvCpu planned for " + what + " " + expected + ", got " + (t == null ? "null" : t.shape()));
        }
    }
}
