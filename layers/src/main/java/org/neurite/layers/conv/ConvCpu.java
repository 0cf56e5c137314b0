package org.neurite.layers.conv;

import java.util.Arrays;
import org.neurite.runtime.Blas;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * The CPU convolution engine: im2col + one GEMM per sample and group, batch-parallel.
 *
 * <p>The batch is cut into one contiguous slice per thread; slice t uses workspace t (its im2col
 * buffer and its partial filter gradient), so a step allocates nothing. Per sample and group g:
 * <pre>
 *   forward         y_g [kg, P]     = w_g [kg, Q] * col_g [Q, P]           (+ bias)
 *   backwardData    dcol_g [Q, P]   = w_g^T * dY_g [kg, P];  dX_g = col2im(dcol_g)
 *   backwardFilter  dW_g [kg, Q]   += dY_g [kg, P] * col_g^T
 * </pre>
 * with P = OH*OW output pixels as the GEMM's long n and Q = C/groups*R*S. A pointwise (1x1,
 * stride 1, no padding) convolution skips im2col: the input channels already are col_g.
 * Filter gradients are summed per slice, then the slices are added in order: the result depends
 * only on the thread count.
 *
 * <p>When the whole batch's columns fit in {@link #KEEP_COLUMNS_MAX} floats (LeNet's layers do),
 * forward keeps them and backwardFilter reuses them instead of running im2col again, as PyTorch's
 * CPU convolution keeps its "finput"; backwardFilter must then get the x of the last forward
 * (the module rule). Larger layers recompute the columns in a per-slice buffer.
 */
final class ConvCpu implements ConvOp {
    private static final int KEEP_COLUMNS_MAX = 1 << 22;    // 4 Mi floats, 16 MiB

    private final ConvGeometry g;
    private final Shape xShape, wShape, yShape;
    private final int q;                // rows of col_g: C/groups*R*S
    private final int p;                // output pixels: OH*OW
    private final float[] kept;         // [N, groups, Q, P] columns of the last forward, or null
    private float[][] cols = new float[0][];       // per slice: col or dcol [Q, P] (none when pointwise)
    private float[][] partialDw = new float[0][];  // per slice: dW [K, Q]

    ConvCpu(ConvGeometry g) {
        this(g, true);
    }

    /** {@code keepColumns} false always recomputes the columns (tests cover both paths with it). */
    ConvCpu(ConvGeometry g, boolean keepColumns) {
        this.g = g;
        this.xShape = g.inputShape();
        this.wShape = g.filterShape();
        this.yShape = g.outputShape();
        this.q = g.colRows();
        this.p = g.outPixels();
        long all = (long) g.n() * g.groups() * q * p;
        this.kept = !keepColumns || g.isPointwise() || all > KEEP_COLUMNS_MAX ? null : new float[(int) all];
        workspaces(slices());
    }

    @Override public ConvGeometry geometry() { return g; }

    @Override public void forward(Tensor x, Tensor w, Tensor b, Tensor y) {
        check(x, xShape, "x");
        check(w, wShape, "w");
        check(y, yShape, "y");
        if (b != null && b.size() != g.k()) throw new IllegalArgumentException("bias " + b.shape() + " for " + g.k() + " filters");
        float[] xd = x.data(), wd = w.data(), bd = b == null ? null : b.data(), yd = y.data();
        int slices = slices();
        workspaces(slices);
        Parallel.forRange(slices, 1, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                for (int i = first(t, slices); i < first(t + 1, slices); i++) forwardSample(i, xd, wd, bd, yd, cols[t]);
            }
        });
    }

    private void forwardSample(int i, float[] x, float[] w, float[] b, float[] y, float[] col) {
        int kg = g.kg();
        for (int grp = 0; grp < g.groups(); grp++) {
            int xOff = (i * g.c() + grp * g.cg()) * g.inPixels();
            int yOff = (i * g.k() + grp * kg) * p;
            float beta = 0f;
            if (b != null) {    // start from the bias and let the GEMM add onto it
                for (int k = 0; k < kg; k++) Arrays.fill(y, yOff + k * p, yOff + (k + 1) * p, b[grp * kg + k]);
                beta = 1f;
            }
            float[] bMat = x;
            int bOff = xOff;
            if (!g.isPointwise()) {
                bMat = kept == null ? col : kept;
                bOff = kept == null ? 0 : keptOffset(i, grp);
                Im2col.im2col(g, x, xOff, bMat, bOff);
            }
            Blas.sgemm(false, false, kg, p, q, 1f, w, grp * kg * q, q, bMat, bOff, p, beta, y, yOff, p);
        }
    }

    @Override public void backwardData(Tensor dY, Tensor w, Tensor dX) {
        check(dY, yShape, "dY");
        check(w, wShape, "w");
        check(dX, xShape, "dX");
        float[] dy = dY.data(), wd = w.data(), dx = dX.data();
        int slices = slices();
        workspaces(slices);
        Parallel.forRange(slices, 1, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                for (int i = first(t, slices); i < first(t + 1, slices); i++) backwardDataSample(i, dy, wd, dx, cols[t]);
            }
        });
    }

    private void backwardDataSample(int i, float[] dy, float[] w, float[] dx, float[] dcol) {
        int kg = g.kg();
        for (int grp = 0; grp < g.groups(); grp++) {
            int xOff = (i * g.c() + grp * g.cg()) * g.inPixels();
            int yOff = (i * g.k() + grp * kg) * p;
            if (g.isPointwise()) {  // dcol is dX itself
                Blas.sgemm(true, false, q, p, kg, 1f, w, grp * kg * q, q, dy, yOff, p, 0f, dx, xOff, p);
            } else {
                Blas.sgemm(true, false, q, p, kg, 1f, w, grp * kg * q, q, dy, yOff, p, 0f, dcol, 0, p);
                Arrays.fill(dx, xOff, xOff + g.cg() * g.inPixels(), 0f);
                Im2col.col2im(g, dcol, dx, xOff);
            }
        }
    }

    @Override public void backwardFilter(Tensor x, Tensor dY, Tensor dW) {
        check(x, xShape, "x");
        check(dY, yShape, "dY");
        check(dW, wShape, "dW");
        float[] xd = x.data(), dy = dY.data();
        int slices = slices();
        workspaces(slices);
        Parallel.forRange(slices, 1, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int from = first(t, slices);
                for (int i = from; i < first(t + 1, slices); i++) {
                    backwardFilterSample(i, xd, dy, partialDw[t], i == from ? 0f : 1f, cols[t]);
                }
            }
        });
        // dW += sum of the slices' partials, always in slice order.
        float[] dw = dW.data();
        for (int j = 0; j < dw.length; j++) {
            float s = 0f;
            for (int t = 0; t < slices; t++) s += partialDw[t][j];
            dw[j] += s;
        }
    }

    private void backwardFilterSample(int i, float[] x, float[] dy, float[] dw, float beta, float[] col) {
        int kg = g.kg();
        for (int grp = 0; grp < g.groups(); grp++) {
            int xOff = (i * g.c() + grp * g.cg()) * g.inPixels();
            int yOff = (i * g.k() + grp * kg) * p;
            float[] colMat = x;
            int colOff = xOff;
            if (kept != null) {
                colMat = kept;
                colOff = keptOffset(i, grp);
            } else if (!g.isPointwise()) {
                Im2col.im2col(g, x, xOff, col, 0);
                colMat = col;
                colOff = 0;
            }
            Blas.sgemm(false, true, kg, q, p, 1f, dy, yOff, p, colMat, colOff, p, beta, dw, grp * kg * q, q);
        }
    }

    @Override public void backwardBias(Tensor dY, Tensor dB) {
        check(dY, yShape, "dY");
        if (dB.size() != g.k()) throw new IllegalArgumentException("bias gradient " + dB.shape() + " for " + g.k() + " filters");
        float[] dy = dY.data(), db = dB.data();
        // One filter per task, samples in order: the same result for every thread count.
        Parallel.forRange(g.k(), 1, (k0, k1) -> {
            for (int k = k0; k < k1; k++) {
                double s = 0;
                for (int i = 0; i < g.n(); i++) s += rowSum(dy, (i * g.k() + k) * p, p);
                db[k] += (float) s;
            }
        });
    }

    /** Sum of a[off, off+len) with four independent accumulators (no serial add chain). */
    private static double rowSum(float[] a, int off, int len) {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        int j = 0;
        for (; j + 4 <= len; j += 4) {
            s0 += a[off + j];
            s1 += a[off + j + 1];
            s2 += a[off + j + 2];
            s3 += a[off + j + 3];
        }
        for (; j < len; j++) s0 += a[off + j];
        return (double) (s0 + s1) + (s2 + s3);
    }

    /** Where sample i, group grp starts in {@link #kept}. */
    private int keptOffset(int i, int grp) {
        return (i * g.groups() + grp) * q * p;
    }

    /** One slice of the batch per thread, never an empty one. */
    private int slices() {
        return Math.min(Parallel.threads(), g.n());
    }

    /** First sample of slice t when the batch is cut into {@code slices} contiguous slices. */
    private int first(int t, int slices) {
        return (int) ((long) g.n() * t / slices);
    }

    /** Workspaces for {@code slices} slices; grows only if the thread count went up since planning. */
    private void workspaces(int slices) {
        if (cols.length >= slices) return;
        int colSize = g.isPointwise() ? 0 : q * p;   // im2col, or dcol in backwardData
        cols = new float[slices][colSize];
        partialDw = new float[slices][g.k() * q];
    }

    private static void check(Tensor t, Shape expected, String what) {
        if (!t.shape().equals(expected)) {
            throw new IllegalArgumentException("ConvCpu planned for " + what + " " + expected + ", got " + t.shape());
        }
    }
}
