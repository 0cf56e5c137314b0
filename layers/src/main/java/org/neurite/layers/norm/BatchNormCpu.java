package org.neurite.layers.norm;

import org.neurite.runtime.Parallel;
import org.neurite.runtime.Tensor;

/**
 * The CPU batch-norm engine. Channels are independent, so they are split over the threads; each
 * channel's sums run over the samples in order, in double, so the result does not depend on the
 * thread count. Statistics use two passes (mean, then squared deviations), not E[x^2] - E[x]^2,
 * which cancels badly for inputs far from zero.
 */
final class BatchNormCpu implements BatchNormOp {
    private static final int GRAIN_WORK = 1 << 14;  // values per parallel chunk, at least

    private final BatchNormGeometry g;
    private final int grain;                        // channels per parallel chunk, at least

    BatchNormCpu(BatchNormGeometry g) {
        this.g = g;
        this.grain = Math.max(1, GRAIN_WORK / g.perChannel());
    }

    @Override public BatchNormGeometry geometry() { return g; }

    @Override public void forwardTraining(Tensor x, Tensor gamma, Tensor beta, float momentum, float eps,
                                          Tensor runningMean, Tensor runningVar, Tensor saveMean, Tensor saveInvStd, Tensor y) {
        int m = g.perChannel();
        if (m < 2) throw new IllegalArgumentException("batch norm: training needs more than 1 value per channel, got " + m);
        checkX(x, "x");
        checkY(y, "y");
        float[] xd = x.data(), yd = y.data(), gd = channel(gamma, "gamma"), bd = channel(beta, "beta");
        float[] rm = channel(runningMean, "running mean"), rv = channel(runningVar, "running var");
        float[] sm = channel(saveMean, "saved mean"), si = channel(saveInvStd, "saved inverse std");
        Parallel.forRange(g.channels(), grain, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                double mean = sum(xd, c) / m;
                double var = sumSquaredDeviations(xd, c, mean) / m;     // biased: normalises
                float invStd = (float) (1.0 / Math.sqrt(var + eps));
                sm[c] = (float) mean;
                si[c] = invStd;
                rm[c] = (float) ((1.0 - momentum) * rm[c] + momentum * mean);
                rv[c] = (float) ((1.0 - momentum) * rv[c] + momentum * var * m / (m - 1));   // unbiased: tracks
                affine(xd, yd, c, gd[c] * invStd, bd[c] - (float) mean * gd[c] * invStd);
            }
        });
    }

    @Override public void forwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor var, float eps, Tensor y) {
        checkX(x, "x");
        checkY(y, "y");
        float[] xd = x.data(), yd = y.data(), gd = channel(gamma, "gamma"), bd = channel(beta, "beta");
        float[] md = channel(mean, "mean"), vd = channel(var, "var");
        Parallel.forRange(g.channels(), grain, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                float invStd = (float) (1.0 / Math.sqrt(vd[c] + (double) eps));
                affine(xd, yd, c, gd[c] * invStd, bd[c] - md[c] * gd[c] * invStd);
            }
        });
    }

    @Override public void normalize(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor invStd, Tensor y) {
        checkX(x, "x");
        checkY(y, "y");
        float[] xd = x.data(), yd = y.data(), gd = channel(gamma, "gamma"), bd = channel(beta, "beta");
        float[] md = channel(mean, "mean"), id = channel(invStd, "inverse std");
        Parallel.forRange(g.channels(), grain, (c0, c1) -> {
            for (int c = c0; c < c1; c++) affine(xd, yd, c, gd[c] * id[c], bd[c] - md[c] * gd[c] * id[c]);
        });
    }

    @Override public void backward(Tensor x, Tensor dY, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                                   Tensor dX, boolean accumulateDx, Tensor dGamma, Tensor dBeta) {
        backward(x, dY, gamma, saveMean, saveInvStd, dX, accumulateDx, dGamma, dBeta, true);
    }

    @Override public void backwardFixed(Tensor x, Tensor dY, Tensor gamma, Tensor mean, Tensor invStd,
                                        Tensor dX, boolean accumulateDx, Tensor dGamma, Tensor dBeta) {
        backward(x, dY, gamma, mean, invStd, dX, accumulateDx, dGamma, dBeta, false);
    }

    private void backward(Tensor x, Tensor dY, Tensor gamma, Tensor mean, Tensor invStd,
                          Tensor dX, boolean accumulateDx, Tensor dGamma, Tensor dBeta, boolean batchStats) {
        checkX(x, "x");
        checkY(dY, "dY");
        if (dX != null) checkX(dX, "dX");
        float[] xd = x.data(), dy = dY.data(), dx = dX == null ? null : dX.data(), gd = channel(gamma, "gamma");
        float[] md = channel(mean, "mean"), id = channel(invStd, "inverse std");
        float[] dg = channel(dGamma, "gamma gradient"), db = channel(dBeta, "beta gradient");
        int m = g.perChannel(), sp = g.spatial();
        Parallel.forRange(g.channels(), grain, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                float mu = md[c], is = id[c];
                double sumDy = 0, sumDyXhat = 0;
                for (int i = 0; i < g.n(); i++) {
                    int xo = i * g.xSampleStride() + c * sp, yo = i * g.ySampleStride() + c * sp;
                    for (int j = 0; j < sp; j++) {
                        float d = dy[yo + j];
                        sumDy += d;
                        sumDyXhat += d * (xd[xo + j] - mu);
                    }
                }
                sumDyXhat *= is;
                dg[c] += (float) sumDyXhat;
                db[c] += (float) sumDy;
                if (dx == null) continue;
                // batch stats: dX = gamma*invStd * (dY - mean(dY) - xhat * mean(dY xhat)); fixed: gamma*invStd * dY
                float k = gd[c] * is;
                float a = batchStats ? (float) (sumDy / m) : 0f;
                float b = batchStats ? (float) (sumDyXhat / m) * is : 0f;  // times (x - mu) gives xhat * mean(dY xhat)
                for (int i = 0; i < g.n(); i++) {
                    int xo = i * g.xSampleStride() + c * sp, yo = i * g.ySampleStride() + c * sp;
                    if (accumulateDx) {
                        for (int j = 0; j < sp; j++) dx[xo + j] += k * (dy[yo + j] - a - (xd[xo + j] - mu) * b);
                    } else {
                        for (int j = 0; j < sp; j++) dx[xo + j] = k * (dy[yo + j] - a - (xd[xo + j] - mu) * b);
                    }
                }
            }
        });
    }

    /** y = x * scale + shift over channel c of every sample. */
    private void affine(float[] x, float[] y, int c, float scale, float shift) {
        int sp = g.spatial();
        for (int i = 0; i < g.n(); i++) {
            int xo = i * g.xSampleStride() + c * sp, yo = i * g.ySampleStride() + c * sp;
            for (int j = 0; j < sp; j++) y[yo + j] = x[xo + j] * scale + shift;
        }
    }

    private double sum(float[] x, int c) {
        double s = 0;
        int sp = g.spatial();
        for (int i = 0; i < g.n(); i++) {
            int o = i * g.xSampleStride() + c * sp;
            for (int j = 0; j < sp; j++) s += x[o + j];
        }
        return s;
    }

    private double sumSquaredDeviations(float[] x, int c, double mean) {
        double s = 0;
        int sp = g.spatial();
        for (int i = 0; i < g.n(); i++) {
            int o = i * g.xSampleStride() + c * sp;
            for (int j = 0; j < sp; j++) {
                double d = x[o + j] - mean;
                s += d * d;
            }
        }
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
