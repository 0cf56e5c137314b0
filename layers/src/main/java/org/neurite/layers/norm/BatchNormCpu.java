package org.neurite.layers.norm;

import org.neurite.runtime.Parallel;
import org.neurite.runtime.Tensor;

/**
 * The CPU batch-norm engine. Channels are independent, so they are split over the threads; each
 * channel's sums run over the samples in order, in double, so the result does not depend on the
 * thread count. Statistics use two passes (mean, then squared deviations), not E[x^2] - E[x]^2,
 * which cancels badly for inputs far from zero. The row loops are {@link BatchNormRows} (vectorised).
 * A following ReLU is fused: forward writes max(y, 0), backward masks dY by y > 0 as it reads it.
 * After a training forward the mask comes from x itself (x * scale + shift > 0 with the forward's
 * per-channel scale and shift, the same test in the same arithmetic): backward then reads dY and
 * x, not y too, and a 16@32x32 batch's channel (2 x 256 KiB) stays in the L2 cache between its
 * two passes.
 */
final class BatchNormCpu implements BatchNormOp {
    private static final int GRAIN_WORK = 1 << 14;  // values per parallel chunk, at least

    private final BatchNormGeometry g;
    private final int grain;                        // channels per parallel chunk, at least
    private final float[] reluScale, reluShift;     // the last training forward's affine, per channel, when it fused the ReLU
    private float[] reluX;                          // that forward's x, or null: backward may mask by x only for it

    BatchNormCpu(BatchNormGeometry g) {
        this.g = g;
        this.grain = Math.max(1, GRAIN_WORK / g.perChannel());
        this.reluScale = new float[g.channels()];
        this.reluShift = new float[g.channels()];
    }

    @Override public BatchNormGeometry geometry() { return g; }

    @Override public boolean fusesRelu() { return true; }

    @Override public void forwardTraining(Tensor x, Tensor gamma, Tensor beta, float momentum, float eps,
                                          Tensor runningMean, Tensor runningVar, Tensor saveMean, Tensor saveInvStd, Tensor y) {
        forwardTraining(x, gamma, beta, momentum, eps, runningMean, runningVar, saveMean, saveInvStd, y, false);
    }

    @Override public void forwardTraining(Tensor x, Tensor gamma, Tensor beta, float momentum, float eps, Tensor runningMean,
                                          Tensor runningVar, Tensor saveMean, Tensor saveInvStd, Tensor y, boolean relu) {
        int m = g.perChannel();
        if (m < 2) throw new IllegalArgumentException("batch norm: training needs more than 1 value per channel, got " + m);
        checkX(x, "x");
        checkY(y, "y");
        float[] xd = x.data(), yd = y.data(), gd = channel(gamma, "gamma"), bd = channel(beta, "beta");
        float[] rm = channel(runningMean, "running mean"), rv = channel(runningVar, "running var");
        float[] sm = channel(saveMean, "saved mean"), si = channel(saveInvStd, "saved inverse std");
        reluX = null;
        Parallel.forRange(g.channels(), grain, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                double mean = sum(xd, c) / m;
                double var = sumSquaredDeviations(xd, c, mean) / m;     // biased: normalises
                float invStd = (float) (1.0 / Math.sqrt(var + eps));
                sm[c] = (float) mean;
                si[c] = invStd;
                rm[c] = (float) ((1.0 - momentum) * rm[c] + momentum * mean);
                rv[c] = (float) ((1.0 - momentum) * rv[c] + momentum * var * m / (m - 1));   // unbiased: tracks
                float scale = gd[c] * invStd, shift = bd[c] - (float) mean * gd[c] * invStd;
                reluScale[c] = scale;
                reluShift[c] = shift;
                affine(xd, yd, c, scale, shift, relu);
            }
        });
        if (relu) reluX = xd;
    }

    @Override public void forwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor var, float eps, Tensor y) {
        forwardInference(x, gamma, beta, mean, var, eps, y, false);
    }

    @Override public void forwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor var, float eps, Tensor y, boolean relu) {
        checkX(x, "x");
        checkY(y, "y");
        float[] xd = x.data(), yd = y.data(), gd = channel(gamma, "gamma"), bd = channel(beta, "beta");
        float[] md = channel(mean, "mean"), vd = channel(var, "var");
        reluX = null;
        Parallel.forRange(g.channels(), grain, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                float invStd = (float) (1.0 / Math.sqrt(vd[c] + (double) eps));
                affine(xd, yd, c, gd[c] * invStd, bd[c] - md[c] * gd[c] * invStd, relu);
            }
        });
    }

    @Override public void normalize(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor invStd, Tensor y) {
        checkX(x, "x");
        checkY(y, "y");
        float[] xd = x.data(), yd = y.data(), gd = channel(gamma, "gamma"), bd = channel(beta, "beta");
        float[] md = channel(mean, "mean"), id = channel(invStd, "inverse std");
        reluX = null;
        Parallel.forRange(g.channels(), grain, (c0, c1) -> {
            for (int c = c0; c < c1; c++) affine(xd, yd, c, gd[c] * id[c], bd[c] - md[c] * gd[c] * id[c], false);
        });
    }

    @Override public void backward(Tensor x, Tensor dY, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                                   Tensor dX, boolean accumulateDx, Tensor dGamma, Tensor dBeta) {
        backward(x, null, dY, gamma, saveMean, saveInvStd, dX, accumulateDx, dGamma, dBeta, true);
    }

    @Override public void backwardFixed(Tensor x, Tensor dY, Tensor gamma, Tensor mean, Tensor invStd,
                                        Tensor dX, boolean accumulateDx, Tensor dGamma, Tensor dBeta) {
        backward(x, null, dY, gamma, mean, invStd, dX, accumulateDx, dGamma, dBeta, false);
    }

    @Override public void backward(Tensor x, Tensor reluY, Tensor dY, Tensor gamma, Tensor mean, Tensor invStd,
                                   Tensor dX, boolean accumulateDx, Tensor dGamma, Tensor dBeta, boolean batchStats) {
        if (reluY != null) checkY(reluY, "y");
        backwardRows(x, reluY == null ? null : reluY.data(), dY, gamma, mean, invStd, dX, accumulateDx, dGamma, dBeta, batchStats);
    }

    private void backwardRows(Tensor x, float[] yd, Tensor dY, Tensor gamma, Tensor mean, Tensor invStd,
                          Tensor dX, boolean accumulateDx, Tensor dGamma, Tensor dBeta, boolean batchStats) {
        checkX(x, "x");
        checkY(dY, "dY");
        if (dX != null) checkX(dX, "dX");
        float[] xd = x.data(), dy = dY.data(), dx = dX == null ? null : dX.data(), gd = channel(gamma, "gamma");
        float[] md = channel(mean, "mean"), id = channel(invStd, "inverse std");
        float[] dg = channel(dGamma, "gamma gradient"), db = channel(dBeta, "beta gradient");
        int m = g.perChannel(), sp = g.spatial();
        // the mask from x: after this x's training forward (y may not be the one it wrote, but
        // y > 0 is x * scale + shift > 0 in the arithmetic that wrote it)
        boolean byX = yd != null && batchStats && reluX == xd;
        Parallel.forRange(g.channels(), grain, (c0, c1) -> {
            double[] sums = new double[2];          // sum dY, sum dY (x - mu) of one channel
            for (int c = c0; c < c1; c++) {
                float mu = md[c], is = id[c], scale = reluScale[c], shift = reluShift[c];
                sums[0] = sums[1] = 0;
                for (int i = 0; i < g.n(); i++) {
                    int xo = i * g.xSampleStride() + c * sp, yo = i * g.ySampleStride() + c * sp;
                    if (byX) BatchNormRows.gradientSumsMaskedByX(dy, yo, xd, xo, sp, mu, scale, shift, sums);
                    else BatchNormRows.gradientSums(dy, yd, yo, xd, xo, sp, mu, sums);
                }
                double sumDy = sums[0], sumDyXhat = sums[1] * is;
                dg[c] += (float) sumDyXhat;
                db[c] += (float) sumDy;
                if (dx == null) continue;
                // batch stats: dX = gamma*invStd * (dY - mean(dY) - xhat * mean(dY xhat)); fixed: gamma*invStd * dY
                float k = gd[c] * is;
                float a = batchStats ? (float) (sumDy / m) : 0f;
                float b = batchStats ? (float) (sumDyXhat / m) * is : 0f;  // times (x - mu) gives xhat * mean(dY xhat)
                for (int i = 0; i < g.n(); i++) {
                    int xo = i * g.xSampleStride() + c * sp, yo = i * g.ySampleStride() + c * sp;
                    if (byX) BatchNormRows.inputGradientMaskedByX(dy, yo, xd, xo, dx, sp, k, a, b, mu, scale, shift, accumulateDx);
                    else BatchNormRows.inputGradient(dy, yd, yo, xd, xo, dx, sp, k, a, b, mu, accumulateDx);
                }
            }
        });
    }

    /** y = x * scale + shift (max(., 0) when relu) over channel c of every sample. */
    private void affine(float[] x, float[] y, int c, float scale, float shift, boolean relu) {
        int sp = g.spatial();
        for (int i = 0; i < g.n(); i++) {
            BatchNormRows.affine(x, i * g.xSampleStride() + c * sp, y, i * g.ySampleStride() + c * sp, sp, scale, shift, relu);
        }
    }

    /** Sum of channel c over every sample: rows in sample order, in double. */
    private double sum(float[] x, int c) {
        double s = 0;
        int sp = g.spatial();
        for (int i = 0; i < g.n(); i++) s += BatchNormRows.sum(x, i * g.xSampleStride() + c * sp, sp);
        return s;
    }

    private double sumSquaredDeviations(float[] x, int c, double mean) {
        double s = 0;
        int sp = g.spatial();
        for (int i = 0; i < g.n(); i++) s += BatchNormRows.sumSquaredDeviations(x, i * g.xSampleStride() + c * sp, sp, (float) mean);
        return s;
    }

    private void checkX(Tensor t, String what) {
        if (t.size() < g.xExtent()) throw new IllegalArgumentException("batch norm: " + what + " " + t.shape() + " too small for " + g);
    }

    private void checkY(Tensor t, String what) {
        if (t.size() < g.yExtent()) throw new IllegalArgumentException("batch norm: " + what + " " + t.shape() + " too small for " + g);
    }

    private float[] channel(Tensor t, String what) {
        if (t.size() != g.channels()) {
            throw new IllegalArgumentException("batch norm: " + what + " " + t.shape() + " for " + g.channels() + " channels");
        }
        return t.data();
    }
}
