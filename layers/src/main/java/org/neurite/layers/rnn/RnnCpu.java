package org.neurite.layers.rnn;

import java.util.Arrays;
import org.neurite.runtime.Blas;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;

/**
 * The CPU engine of {@link RnnOp}. Per layer and direction: one GEMM projects the inputs of all T
 * steps at once (A = X W^T + b, [T*N, G*H]); then each step does one recurrent GEMM (P = h R^T) and
 * the fused gate arithmetic of {@link RnnCells}, split over batch rows. The backward mirrors it:
 * per step the cell backward and one GEMM for the previous state's gradient (dh = dP R); after the
 * loop, one GEMM each for dx, dW and dR over all steps.
 *
 * <p>When layer 0's input is mostly zeros (one-hot characters: 1 in 97), its projection and
 * weight gradient skip the zeros ({@link SparseRows}) instead of running two dense GEMMs.
 *
 * <p>The reverse direction reads its input from t = T-1 down to 0. States are kept per pseudo-layer
 * in one block hs [T+1, N, H]: the forward direction writes h_t at slot t+1 (h0 at slot 0), the
 * reverse at slot t (h0 at slot T), so the states entering the steps, in time order, are always
 * T consecutive slots and dR is one GEMM.
 */
final class RnnCpu implements RnnOp {
    /**
     * Vector API gate kernels when the JVM has the module (the launcher and the tests add it) and
     * {@code -Dneurite.rnn=scalar} does not ask for the plain ones.
     */
    static final boolean VECTOR = !"scalar".equals(System.getProperty("neurite.rnn"))
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private final RnnLayout lay;
    private final CellType cell;
    private final int gates;
    private final int hidden;
    private final int layers;
    private final int dirs;
    private final float dropout;
    private final Rng rng;

    // Plan for (T, N): allocated when the sequence length or batch size changes, reused otherwise.
    private int steps = -1;
    private int batch = -1;
    private float[][] act;      // per pseudo-layer: [T, N, G*H] input projection, then the gate values
    private float[][] hs;       // per pseudo-layer: [T+1, N, H] hidden states
    private float[][] cs;       // LSTM, per pseudo-layer: [T+1, N, H] cell states
    private float[][] aux;      // LSTM: tanh(c) [T, N, H]; GRU: R_n h + b_Rn [T, N, H]
    private float[][] layerOut; // per layer below the top: [T, N, D*H] before dropout
    private float[][] layerIn;  // per layer above the bottom: [T, N, D*H] after dropout (aliases layerOut without it)
    private float[][] mask;     // per layer below the top, with dropout: 0 or 1/(1-p)
    private float[] proj;       // GRU: [N, G*H] one step's recurrent projection
    private float[] bias;       // [G*H] the bias folded into the input projection
    private float[] rT;         // [H, G*H] the current pseudo-layer's R, transposed, rows rtLd apart
    private int rtLd;
    private float[] rPad;       // [G*H, H] the current pseudo-layer's R for backward, rows rLd apart
    private int rLd;
    private float[][] dA;       // per pseudo-layer: [T, N, G*H] gradient of the input projection
    private float[][] dP;       // per pseudo-layer: [T, N, G*H] gradient of the recurrent projection (aliases dA but for GRU)
    private float[] dOutA;      // [T, N, D*H] ping-pong buffers for the gradients of layer outputs
    private float[] dOutB;
    private float[] dh;         // [N, H]
    private float[] dhNext;     // [N, H]
    private float[] dc;         // [N, H]
    private boolean haveBackward;
    // Layer 0's input as sparse rows (CSR) when it is mostly zeros, e.g. one-hot characters.
    private final boolean sparseInputs;
    private final SparseRows sparse = new SparseRows();
    private boolean sparse0;

    // The current step, read by the parallel loop bodies below (built once: no garbage per step).
    private int cp;
    private int cT;
    private int cIn;
    private int cOut;
    private float[] cDh;
    private final Parallel.RangeBody forwardBody = this::cellForward;
    private final Parallel.RangeBody backwardBody = this::cellBackward;
    // columnSums: the call's operands, read by its parallel body
    private float[] sumSrc, sumDst;
    private int sumRows, sumCols, sumOff;
    private final Parallel.RangeBody columnSumsBody = this::columnSumRange;

    RnnCpu(RnnLayout layout, float dropout, Rng rng) {
        this(layout, dropout, rng, true);
    }

    /** {@code sparseInputs} false always takes the dense GEMM path for layer 0 (tests compare both). */
    RnnCpu(RnnLayout layout, float dropout, Rng rng, boolean sparseInputs) {
        this.sparseInputs = sparseInputs;
        this.lay = layout;
        this.cell = layout.cell();
        this.gates = layout.gates();
        this.hidden = layout.hiddenSize();
        this.layers = layout.numLayers();
        this.dirs = layout.directions();
        this.dropout = dropout;
        this.rng = rng;
    }

    private void plan(int t, int n) {
        if (t == steps && n == batch) return;
        steps = t;
        batch = n;
        int pl = layers * dirs;
        int gh = gates * hidden;
        int rows = t * n;
        act = new float[pl][rows * gh];
        hs = new float[pl][(t + 1) * n * hidden];
        cs = cell.hasCellState() ? new float[pl][(t + 1) * n * hidden] : null;
        aux = cell == CellType.LSTM || cell == CellType.GRU ? new float[pl][rows * hidden] : null;
        layerOut = new float[layers][];
        layerIn = new float[layers][];
        mask = new float[layers][];
        for (int l = 0; l < layers - 1; l++) {
            layerOut[l] = new float[rows * dirs * hidden];
            if (dropout > 0) {
                mask[l] = new float[rows * dirs * hidden];
                layerIn[l + 1] = new float[rows * dirs * hidden];
            } else {
                layerIn[l + 1] = layerOut[l];
            }
        }
        proj = cell == CellType.GRU ? new float[n * gh] : null;
        bias = new float[gh];
        rtLd = unaliasedStride(gh);
        rT = new float[hidden * rtLd];
        rLd = unaliasedStride(hidden);
        rPad = new float[gh * rLd];
        dA = new float[pl][rows * gh];
        dP = cell == CellType.GRU ? new float[pl][rows * gh] : dA;
        dOutA = layers > 1 ? new float[rows * dirs * hidden] : null;
        dOutB = layers > 2 ? new float[rows * dirs * hidden] : null;
        dh = new float[n * hidden];
        dhNext = new float[n * hidden];
        dc = new float[n * hidden];
        haveBackward = false;
        sparse.plan(rows, lay.layerInputSize(0), gates * hidden);
    }

    private int rowGrain() {
        return Math.max(1, 4096 / (gates * hidden));
    }

    @Override public void forward(Tensor x, Tensor hx, Tensor cx, Tensor w, Tensor y, Tensor hy, Tensor cy, boolean training) {
        int t = x.shape().dim(0);
        int n = x.shape().dim(1);
        plan(t, n);
        haveBackward = false;
        float[] wd = w.data();
        int nh = n * hidden;
        sparse0 = sparseInputs && sparse.read(x.data());
        for (int l = 0; l < layers; l++) {
            int in = lay.layerInputSize(l);
            float[] input = l == 0 ? x.data() : layerIn[l];
            float[] out = l == layers - 1 ? y.data() : layerOut[l];
            for (int d = 0; d < dirs; d++) {
                int p = l * dirs + d;
                projectInputs(p, l, d, input, in, wd);
                // h0 (and c0) into the slot the first step reads.
                int first = d == 0 ? 0 : t * nh;
                copyState(hx, p, nh, hs[p], first);
                if (cs != null) copyState(cx, p, nh, cs[p], first);
                transposeRecurrent(wd, lay.recurrentWeights(l, d));
                for (int s = 0; s < t; s++) step(p, l, d, d == 0 ? s : t - 1 - s, wd);
                // Outputs, time-major, this direction's columns.
                int slot0 = d == 0 ? 1 : 0;
                for (int ts = 0; ts < t; ts++) {
                    for (int b = 0; b < n; b++) {
                        System.arraycopy(hs[p], (slot0 + ts) * nh + b * hidden, out, (ts * n + b) * dirs * hidden + d * hidden, hidden);
                    }
                }
                int last = d == 0 ? t * nh : 0;
                System.arraycopy(hs[p], last, hy.data(), p * nh, nh);
                if (cs != null && cy != null) System.arraycopy(cs[p], last, cy.data(), p * nh, nh);
            }
            if (l < layers - 1 && dropout > 0) {
                float[] m = mask[l];
                float[] o = layerOut[l];
                float[] i = layerIn[l + 1];
                float keep = 1f / (1f - dropout);
                for (int k = 0; k < o.length; k++) {
                    m[k] = training ? (rng.nextFloat() >= dropout ? keep : 0f) : 1f;
                    i[k] = o[k] * m[k];
                }
            }
        }
        haveBackward = training;
    }

    private static void copyState(Tensor src, int p, int nh, float[] dst, int dstOff) {
        if (src == null) Arrays.fill(dst, dstOff, dstOff + nh, 0f);
        else System.arraycopy(src.data(), p * nh, dst, dstOff, nh);
    }

    /** act[p] = input W^T + b_W (+ b_R but for the GRU, whose b_R stays with the recurrent projection). */
    private void projectInputs(int p, int l, int d, float[] input, int in, float[] wd) {
        int gh = gates * hidden;
        int rows = steps * batch;
        int bw = lay.inputBias(l, d);
        int br = lay.recurrentBias(l, d);
        for (int k = 0; k < gh; k++) bias[k] = cell == CellType.GRU ? wd[bw + k] : wd[bw + k] + wd[br + k];
        float[] a = act[p];
        if (l == 0 && sparse0) {
            sparse.project(wd, lay.inputWeights(l, d), bias, a);     // copies the bias into each row itself
            return;
        }
        for (int r = 0; r < rows; r++) System.arraycopy(bias, 0, a, r * gh, gh);
        Blas.sgemm(false, true, rows, gh, in, 1f, input, 0, in, wd, lay.inputWeights(l, d), in, 1f, a, 0, gh);
    }

    /**
     * rT = R^T [H, G*H], once per layer and direction: the per-step GEMM then reads B untransposed,
     * which the GEMM packs faster (W2 step: 236 -> 162 us measured on 2 threads).
     */
    private void transposeRecurrent(float[] wd, int r) {
        int gh = gates * hidden;
        for (int i = 0; i < gh; i++) {
            int src = r + i * hidden;
            for (int k = 0; k < hidden; k++) rT[k * rtLd + i] = wd[src + k];
        }
    }

    /**
     * A row stride of at least n floats that is an odd number of 64-byte lines, for rT and rPad.
     * With few rows of h the GEMM reads their rows in place, a 16-column strip at a time, and rows whose
     * stride is a multiple of 1 KiB fall into a quarter of the L1 cache's 64 sets or fewer (G*H =
     * 1024 for W2's LSTM: all 256 rows of a strip in one set): the strip misses L1 on every step.
     * Padded to an odd number of lines the rows spread over all sets. One thread, 32 x 1024 x 256:
     * 390 -> 276 us; two threads 161 -> 145; W3's 32 x 768 x 256 on two: 106 -> 84. W2's steps,
     * two models alternating in one JVM: rT padded 0.916 (1/1.096 reversed), then rPad 0.903
     * (1/1.090); W3's 0.978 (1/1.021), then 0.948 (1/1.057).
     */
    static int unaliasedStride(int n) {
        int lines = Math.ceilDiv(n, 16);
        return 16 * (lines | 1);
    }

    /** One time step t of pseudo-layer p. */
    private void step(int p, int l, int d, int t, float[] wd) {
        int n = batch;
        int gh = gates * hidden;
        int nh = n * hidden;
        int hIn = (d == 0 ? t : t + 1) * nh;
        int hOut = (d == 0 ? t + 1 : t) * nh;
        if (cell == CellType.GRU) {
            int br = lay.recurrentBias(l, d);
            for (int b = 0; b < n; b++) System.arraycopy(wd, br, proj, b * gh, gh);
            Blas.sgemm(false, false, n, gh, hidden, 1f, hs[p], hIn, hidden, rT, 0, rtLd, 1f, proj, 0, gh);
        } else {
            // The recurrent product lands on the step's input projection: a_t += h R^T.
            Blas.sgemm(false, false, n, gh, hidden, 1f, hs[p], hIn, hidden, rT, 0, rtLd, 1f, act[p], t * n * gh, gh);
        }
        cp = p;
        cT = t;
        cIn = hIn;
        cOut = hOut;
        Parallel.forRange(n, rowGrain(), forwardBody);
    }

    private void cellForward(int n0, int n1) {
        int nh = batch * hidden;
        int aOff = cT * batch * gates * hidden;
        boolean relu = cell == CellType.RNN_RELU;
        if (VECTOR) {
            switch (cell) {
                case LSTM -> RnnCellsVector.lstmForward(act[cp], aOff, cs[cp], cIn, cOut, aux[cp], cT * nh, hs[cp], cOut, hidden, n0, n1);
                case GRU -> RnnCellsVector.gruForward(act[cp], aOff, proj, aux[cp], cT * nh, hs[cp], cIn, cOut, hidden, n0, n1);
                case RNN_TANH, RNN_RELU -> RnnCellsVector.rnnForward(act[cp], aOff, hs[cp], cOut, relu, hidden, n0, n1);
            }
            return;
        }
        switch (cell) {
            case LSTM -> RnnCells.lstmForward(act[cp], aOff, cs[cp], cIn, cOut, aux[cp], cT * nh, hs[cp], cOut, hidden, n0, n1, 0);
            case GRU -> RnnCells.gruForward(act[cp], aOff, proj, aux[cp], cT * nh, hs[cp], cIn, cOut, hidden, n0, n1, 0);
            case RNN_TANH, RNN_RELU -> RnnCells.rnnForward(act[cp], aOff, hs[cp], cOut, relu, hidden, n0, n1, 0);
        }
    }

    @Override public void backwardData(Tensor dy, Tensor dhy, Tensor dcy, Tensor w, Tensor dx, Tensor dhx, Tensor dcx) {
        if (!haveBackward) throw new IllegalStateException("Rnn: backward without a training forward");
        int t = steps;
        int n = batch;
        int nh = n * hidden;
        int gh = gates * hidden;
        int rows = t * n;
        int dh2 = dirs * hidden;
        float[] wd = w.data();
        float[] dOut = dy.data();
        for (int l = layers - 1; l >= 0; l--) {
            for (int d = 0; d < dirs; d++) {
                int p = l * dirs + d;
                int r = lay.recurrentWeights(l, d);
                for (int i = 0; i < gh; i++) System.arraycopy(wd, r + i * hidden, rPad, i * rLd, hidden);
                if (dhy == null) Arrays.fill(dh, 0f);
                else System.arraycopy(dhy.data(), p * nh, dh, 0, nh);
                if (cs != null) {
                    if (dcy == null) Arrays.fill(dc, 0f);
                    else System.arraycopy(dcy.data(), p * nh, dc, 0, nh);
                }
                for (int s = t - 1; s >= 0; s--) {
                    int ts = d == 0 ? s : t - 1 - s;
                    // dh += the gradient reaching h_t from above (this direction's columns of the output).
                    for (int b = 0; b < n; b++) {
                        int o = (ts * n + b) * dh2 + d * hidden;
                        int hb = b * hidden;
                        for (int j = 0; j < hidden; j++) dh[hb + j] += dOut[o + j];
                    }
                    cp = p;
                    cT = ts;
                    cIn = (d == 0 ? ts : ts + 1) * nh;
                    cOut = (d == 0 ? ts + 1 : ts) * nh;
                    cDh = dh;
                    Parallel.forRange(n, rowGrain(), backwardBody);
                    // dh_prev = dP_t R (+ dh z for the GRU, which the cell backward left in dhNext).
                    recurrentGradient(dP[p], ts * n * gh, cell == CellType.GRU ? 1f : 0f);
                    float[] tmp = dh;
                    dh = dhNext;
                    dhNext = tmp;
                }
                if (dhx != null) System.arraycopy(dh, 0, dhx.data(), p * nh, nh);
                if (dcx != null && cs != null) System.arraycopy(dc, 0, dcx.data(), p * nh, nh);
            }
            // Gradient of this layer's input: the sum over directions of dA W.
            int in = lay.layerInputSize(l);
            float[] dIn;
            if (l == 0) {
                if (dx == null) continue;
                dIn = dx.data();
            } else {
                dIn = dOut == dOutA ? (dOutB != null ? dOutB : dOutA) : dOutA;
            }
            for (int d = 0; d < dirs; d++) {
                int p = l * dirs + d;
                Blas.sgemm(false, false, rows, in, gh, 1f, dA[p], 0, gh, wd, lay.inputWeights(l, d), in,
                        d == 0 ? 0f : 1f, dIn, 0, in);
            }
            if (l > 0 && dropout > 0) {
                float[] m = mask[l - 1];
                for (int k = 0; k < rows * in; k++) dIn[k] *= m[k];
            }
            dOut = dIn;
        }
    }

    /**
     * dhNext [N, H] = dP_t [N, G*H] R [G*H, H] + beta dhNext, in blocks of at most 24 rows: the GEMM
     * reads R in place (no packing of 1 MiB per step for H = 256) when few rows share it, from
     * rPad, R copied once per backward with its rows an odd number of lines apart
     * ({@link #unaliasedStride}: H = 256 floats is 1 KiB, four L1 sets for a whole strip).
     */
    private void recurrentGradient(float[] dp, int dpOff, float beta) {
        int n = batch;
        int gh = gates * hidden;
        int blocks = (n + 23) / 24;
        for (int b = 0; b < blocks; b++) {
            int r0 = (int) ((long) n * b / blocks);
            int r1 = (int) ((long) n * (b + 1) / blocks);
            Blas.sgemm(false, false, r1 - r0, hidden, gh, 1f, dp, dpOff + r0 * gh, gh, rPad, 0, rLd,
                    beta, dhNext, r0 * hidden, hidden);
        }
    }

    private void cellBackward(int n0, int n1) {
        int nh = batch * hidden;
        int aOff = cT * batch * gates * hidden;
        boolean relu = cell == CellType.RNN_RELU;
        if (VECTOR) {
            switch (cell) {
                case LSTM -> RnnCellsVector.lstmBackward(act[cp], aOff, cs[cp], cIn, aux[cp], cT * nh, cDh, dc, dA[cp], aOff, hidden, n0, n1);
                case GRU -> RnnCellsVector.gruBackward(act[cp], aOff, aux[cp], cT * nh, hs[cp], cIn, cDh, dhNext, dA[cp], dP[cp], aOff, hidden, n0, n1);
                case RNN_TANH, RNN_RELU -> RnnCellsVector.rnnBackward(hs[cp], cOut, cDh, dA[cp], aOff, relu, hidden, n0, n1);
            }
            return;
        }
        switch (cell) {
            case LSTM -> RnnCells.lstmBackward(act[cp], aOff, cs[cp], cIn, aux[cp], cT * nh, cDh, dc, dA[cp], aOff, hidden, n0, n1, 0);
            case GRU -> RnnCells.gruBackward(act[cp], aOff, aux[cp], cT * nh, hs[cp], cIn, cDh, dhNext, dA[cp], dP[cp], aOff, hidden, n0, n1, 0);
            case RNN_TANH, RNN_RELU -> RnnCells.rnnBackward(hs[cp], cOut, cDh, dA[cp], aOff, relu, hidden, n0, n1, 0);
        }
    }

    @Override public void backwardWeights(Tensor x, Tensor hx, Tensor dw) {
        if (!haveBackward) throw new IllegalStateException("Rnn: backwardWeights without a training forward");
        int rows = steps * batch;
        int gh = gates * hidden;
        float[] g = dw.data();
        for (int l = 0; l < layers; l++) {
            int in = lay.layerInputSize(l);
            float[] input = l == 0 ? x.data() : layerIn[l];
            for (int d = 0; d < dirs; d++) {
                int p = l * dirs + d;
                // dW += dA^T X; dR += dP^T H_prev, the states entering the steps in time order.
                if (l == 0 && sparse0) sparse.accumulateWeightGradient(dA[p], g, lay.inputWeights(l, d));
                else Blas.sgemm(true, false, gh, in, rows, 1f, dA[p], 0, gh, input, 0, in, 1f, g, lay.inputWeights(l, d), in);
                int prev = d == 0 ? 0 : batch * hidden;
                Blas.sgemm(true, false, gh, hidden, rows, 1f, dP[p], 0, gh, hs[p], prev, hidden, 1f, g, lay.recurrentWeights(l, d), hidden);
                columnSums(dA[p], rows, gh, g, lay.inputBias(l, d));
                columnSums(dP[p], rows, gh, g, lay.recurrentBias(l, d));
            }
        }
    }

    /**
     * dst[off + j] += sum over rows of m[r, j], the columns split over the threads (each column's
     * rows in order: the same sums on any thread count). On the caller alone the two bias sums
     * were 2.5% of a W2 step, the other core idle.
     */
    private void columnSums(float[] m, int rows, int cols, float[] dst, int off) {
        sumSrc = m;
        sumRows = rows;
        sumCols = cols;
        sumDst = dst;
        sumOff = off;
        try {
            Parallel.forRange(cols, 64, columnSumsBody);
        } finally {
            sumSrc = sumDst = null;
        }
    }

    private void columnSumRange(int j0, int j1) {
        float[] m = sumSrc, dst = sumDst;
        for (int r = 0; r < sumRows; r++) {
            int rb = r * sumCols;
            for (int j = j0; j < j1; j++) dst[sumOff + j] += m[rb + j];
        }
    }
}
