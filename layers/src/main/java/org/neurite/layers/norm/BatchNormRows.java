package org.neurite.layers.norm;

/**
 * The per-row loops of the CPU batch norm: one row is one channel of one sample, {@code n}
 * contiguous floats. Rows are summed in float lanes and the lanes added in a fixed order in
 * double, so a row's sum does not depend on which thread runs it; the callers add rows in double
 * in sample order. The bodies run on the Vector API when the JVM has it
 * ({@link BatchNormVector}; {@code -Dneurite.kernels=scalar}: never), else in plain Java below.
 * The serial double add chain these replace cost 4 cycles per value (2.7 ms per forward of a
 * 16@32x32 batch-64 layer on one core).
 */
final class BatchNormRows {
    private static final boolean VECTOR = !"scalar".equals(System.getProperty("neurite.kernels"))
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    /** Shorter rows stay scalar: a [N, C] input has 1-value rows, where a masked vector is all overhead. */
    private static final int VECTOR_MIN = 8;

    private BatchNormRows() { }

    /** Sum of x[off, off+n). */
    static double sum(float[] x, int off, int n) {
        if (VECTOR && n >= VECTOR_MIN) return BatchNormVector.sum(x, off, n);
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            s0 += x[off + j];
            s1 += x[off + j + 1];
            s2 += x[off + j + 2];
            s3 += x[off + j + 3];
        }
        for (; j < n; j++) s0 += x[off + j];
        return ((double) s0 + s1) + ((double) s2 + s3);
    }

    /** Sum of (x - mean)^2 over x[off, off+n). */
    static double sumSquaredDeviations(float[] x, int off, int n, float mean) {
        if (VECTOR && n >= VECTOR_MIN) return BatchNormVector.sumSquaredDeviations(x, off, n, mean);
        float s0 = 0f, s1 = 0f;
        int j = 0;
        for (; j + 2 <= n; j += 2) {
            float d0 = x[off + j] - mean, d1 = x[off + j + 1] - mean;
            s0 += d0 * d0;
            s1 += d1 * d1;
        }
        for (; j < n; j++) {
            float d = x[off + j] - mean;
            s0 += d * d;
        }
        return (double) s0 + s1;
    }

    /** y = x * scale + shift (then max(., 0) when relu) over n values. */
    static void affine(float[] x, int xo, float[] y, int yo, int n, float scale, float shift, boolean relu) {
        if (VECTOR && n >= VECTOR_MIN) {
            BatchNormVector.affine(x, xo, y, yo, n, scale, shift, relu);
        } else if (relu) {
            for (int j = 0; j < n; j++) y[yo + j] = Math.max(x[xo + j] * scale + shift, 0f);
        } else {
            for (int j = 0; j < n; j++) y[yo + j] = x[xo + j] * scale + shift;
        }
    }

    /**
     * sums[0] += sum g, sums[1] += sum g * (x - mu) over one row, where g = dy, or
     * g = y > 0 ? dy : 0 when {@code y} (the fused ReLU's output) is not null.
     */
    static void gradientSums(float[] dy, float[] y, int yo, float[] x, int xo, int n, float mu, double[] sums) {
        if (VECTOR && n >= VECTOR_MIN) {
            BatchNormVector.gradientSums(dy, y, yo, x, xo, n, mu, sums);
            return;
        }
        float s = 0f, sx = 0f;
        for (int j = 0; j < n; j++) {
            float d = y == null || y[yo + j] > 0f ? dy[yo + j] : 0f;
            s += d;
            sx += d * (x[xo + j] - mu);
        }
        sums[0] += s;
        sums[1] += sx;
    }

    /**
     * {@link #gradientSums} with the fused ReLU's mask taken from x instead of its output:
     * g = dy where x * scale + shift > 0 (the forward's {@link #affine}, so the same test as y > 0,
     * without reading y).
     */
    static void gradientSumsMaskedByX(float[] dy, int yo, float[] x, int xo, int n, float mu, float scale, float shift, double[] sums) {
        if (VECTOR && n >= VECTOR_MIN) {
            BatchNormVector.gradientSumsMaskedByX(dy, yo, x, xo, n, mu, scale, shift, sums);
            return;
        }
        float s = 0f, sx = 0f;
        for (int j = 0; j < n; j++) {
            float xv = x[xo + j], d = xv * scale + shift > 0f ? dy[yo + j] : 0f;
            s += d;
            sx += d * (xv - mu);
        }
        sums[0] += s;
        sums[1] += sx;
    }

    /** {@link #inputGradient} with the mask from x as in {@link #gradientSumsMaskedByX}. */
    static void inputGradientMaskedByX(float[] dy, int yo, float[] x, int xo, float[] dx, int n, float k, float a, float b, float mu,
                                       float scale, float shift, boolean accumulate) {
        if (VECTOR && n >= VECTOR_MIN) {
            BatchNormVector.inputGradientMaskedByX(dy, yo, x, xo, dx, n, k, a, b, mu, scale, shift, accumulate);
            return;
        }
        for (int j = 0; j < n; j++) {
            float xv = x[xo + j], d = xv * scale + shift > 0f ? dy[yo + j] : 0f;
            float v = k * (d - a - (xv - mu) * b);
            dx[xo + j] = accumulate ? dx[xo + j] + v : v;
        }
    }

    /** dx (= or +=) k * (g - a - (x - mu) * b), g as in {@link #gradientSums}. */
    static void inputGradient(float[] dy, float[] y, int yo, float[] x, int xo, float[] dx, int n,
                              float k, float a, float b, float mu, boolean accumulate) {
        if (VECTOR && n >= VECTOR_MIN) {
            BatchNormVector.inputGradient(dy, y, yo, x, xo, dx, n, k, a, b, mu, accumulate);
            return;
        }
        for (int j = 0; j < n; j++) {
            float d = y == null || y[yo + j] > 0f ? dy[yo + j] : 0f;
            float v = k * (d - a - (x[xo + j] - mu) * b);
            dx[xo + j] = accumulate ? dx[xo + j] + v : v;
        }
    }
}
