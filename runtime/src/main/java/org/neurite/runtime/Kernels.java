package org.neurite.runtime;

/**
 * Element-wise ops and reductions on CPU arrays. Each takes explicit offsets and lengths so layers
 * can work on slices (a batch item, a channel) without copies. Big loops split over
 * {@link Parallel}; reductions sum per chunk in double and add the chunks in a fixed order, so the
 * result depends only on the thread count.
 */
public final class Kernels {
    private static final int GRAIN = 1 << 15;
    /** The select loops run on the Vector API when the JVM has it ({@code -Dneurite.kernels=scalar}: never). */
    private static final boolean VECTOR = !"scalar".equals(System.getProperty("neurite.kernels"))
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private Kernels() { }

    /**
     * dx[i] = x[i] > 0 ? g[i] : 0, the ReLU's backward (a NaN x gives 0), on the calling thread.
     * A float select is a branch in C2's code, mispredicted half the time on ReLU data, so this runs
     * on the Vector API when present (same bits: it only selects).
     */
    public static void reluBackward(int n, float[] x, int xOff, float[] g, int gOff, float[] dx, int dxOff) {
        if (VECTOR) {
            VectorKernels.reluBackward(n, x, xOff, g, gOff, dx, dxOff);
        } else {
            reluBackwardScalar(n, x, xOff, g, gOff, dx, dxOff);
        }
    }

    static void reluBackwardScalar(int n, float[] x, int xOff, float[] g, int gOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i++) dx[dxOff + i] = x[xOff + i] > 0f ? g[gOff + i] : 0f;
    }

    /**
     * y[i] = x[i] + bias, then max(., 0) when relu (Math.max: a NaN stays NaN), on the calling
     * thread: a convolution's epilogue over one output row (x may be y). Rows of 28 or 10 pixels
     * left C2's vectorised loop unused and ran its scalar tail: 10% of a W1 step.
     */
    public static void addBias(int n, float[] x, int xOff, float bias, boolean relu, float[] y, int yOff) {
        if (VECTOR) {
            VectorKernels.addBias(n, x, xOff, bias, relu, y, yOff);
        } else {
            addBiasScalar(n, x, xOff, bias, relu, y, yOff);
        }
    }

    static void addBiasScalar(int n, float[] x, int xOff, float bias, boolean relu, float[] y, int yOff) {
        if (relu) {
            for (int i = 0; i < n; i++) y[yOff + i] = Math.max(x[xOff + i] + bias, 0f);
        } else {
            for (int i = 0; i < n; i++) y[yOff + i] = x[xOff + i] + bias;
        }
    }

    /**
     * Sum of x[off, off+n) on the calling thread, for short rows (a convolution's bias gradient
     * per sample and filter): float partial sums, V lanes on the Vector API (added by a fixed tree)
     * or four in the scalar loop, so the order depends only on n, not on which compiler ran it.
     * A tail that a whole vector would carry past x's end is summed by the scalar loop (a masked
     * load there takes the Vector API's allocating slow path). Batch norm keeps its own row sum
     * (BatchNormRows), masked even there, so a channel's statistics do not depend on where the
     * tensor ends: DenseBlockTest compares two layouts of the same block to 1e-6.
     */
    public static double rowSum(int n, float[] x, int off) {
        return VECTOR ? VectorKernels.rowSum(n, x, off) : rowSumScalar(n, x, off);
    }

    /** {@link #rowSum} of the ReLU's backward, x > 0 ? g : 0 over n elements, without writing it: the same sum as of those values. */
    public static double reluRowSum(int n, float[] x, int xOff, float[] g, int gOff) {
        return VECTOR ? VectorKernels.reluRowSum(n, x, xOff, g, gOff) : reluRowSumScalar(n, x, xOff, g, gOff);
    }

    static double reluRowSumScalar(int n, float[] x, int xOff, float[] g, int gOff) {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            s0 += x[xOff + j] > 0f ? g[gOff + j] : 0f;
            s1 += x[xOff + j + 1] > 0f ? g[gOff + j + 1] : 0f;
            s2 += x[xOff + j + 2] > 0f ? g[gOff + j + 2] : 0f;
            s3 += x[xOff + j + 3] > 0f ? g[gOff + j + 3] : 0f;
        }
        for (; j < n; j++) s0 += x[xOff + j] > 0f ? g[gOff + j] : 0f;
        return (double) (s0 + s1) + (s2 + s3);
    }

    static double rowSumScalar(int n, float[] x, int off) {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            s0 += x[off + j];
            s1 += x[off + j + 1];
            s2 += x[off + j + 2];
            s3 += x[off + j + 3];
        }
        for (; j < n; j++) s0 += x[off + j];
        return (double) (s0 + s1) + (s2 + s3);
    }

    /**
     * Max pooling of one plane with 2 x 2 windows, stride 2, no padding, on the calling thread:
     * y[oy][ox] = the largest of x[2oy + dy][2ox + dx], and arg[oy][ox] = its plane index
     * (2oy + dy) * w + 2ox + dx. Taps are visited in the order (0,0), (0,1), (1,0), (1,1) and a
     * later one wins only if strictly greater, so ties go to the first; a NaN makes the output NaN
     * (Math.max) but never wins the argmax. x: the plane {@code [h, w]} at xOff (h >= 2 oh,
     * w >= 2 ow); y and arg: {@code [oh, ow]} at yOff and argOff. Runs on the Vector API when
     * present, with the same results as the scalar loop.
     */
    public static void maxPool2x2(int oh, int ow, int w, float[] x, int xOff, float[] y, int yOff, int[] arg, int argOff) {
        if (VECTOR) {
            VectorPooling.maxPool2x2(oh, ow, w, x, xOff, y, yOff, arg, argOff);
        } else {
            for (int oy = 0; oy < oh; oy++) {
                maxPool2x2Scalar(ow, x, xOff + 2 * oy * w, w, 2 * oy * w, y, yOff + oy * ow, arg, argOff + oy * ow);
            }
        }
    }

    /** n windows of one output row: top-left taps at x[t], x[t+2] ..., plane index i of the first. */
    static void maxPool2x2Scalar(int n, float[] x, int t, int w, int i, float[] y, int yo, int[] arg, int ao) {
        for (int j = 0; j < n; j++, t += 2, i += 2) {
            float m = x[t];
            int a = i;
            float v = x[t + 1];
            if (v > m) a = i + 1;
            m = Math.max(m, v);
            v = x[t + w];
            if (v > m) a = i + w;
            m = Math.max(m, v);
            v = x[t + w + 1];
            if (v > m) a = i + w + 1;
            m = Math.max(m, v);
            y[yo + j] = m;
            arg[ao + j] = a;
        }
    }

    /** y[i] += alpha * x[i]. */
    public static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        Parallel.forRange(n, GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) y[yOff + i] += alpha * x[xOff + i];
        });
    }

    /** x[i] *= alpha. */
    public static void scale(int n, float alpha, float[] x, int xOff) {
        Parallel.forRange(n, GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) x[xOff + i] *= alpha;
        });
    }

    /** out[i] = a[i] + b[i]. */
    public static void add(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        Parallel.forRange(n, GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) out[outOff + i] = a[aOff + i] + b[bOff + i];
        });
    }

    /** Sum of x[off, off+n), accumulated in double. */
    public static double sum(int n, float[] x, int off) {
        double s = 0;
        for (int i = 0; i < n; i++) s += x[off + i];
        return s;
    }

    /** Sum of squares of x[off, off+n), accumulated in double (for gradient norms). */
    public static double sumSquares(int n, float[] x, int off) {
        double s = 0;
        for (int i = 0; i < n; i++) s += (double) x[off + i] * x[off + i];
        return s;
    }

    /** Index of the largest of x[off, off+n) (first on ties), relative to off. */
    public static int argmax(int n, float[] x, int off) {
        int best = 0;
        float v = x[off];
        for (int i = 1; i < n; i++) {
            if (x[off + i] > v) {
                v = x[off + i];
                best = i;
            }
        }
        return best;
    }

    /** True when every value of x[off, off+n) is finite. */
    public static boolean allFinite(int n, float[] x, int off) {
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(x[off + i])) return false;
        }
        return true;
    }
}
