package org.neurite.layers.lrn;

import org.neurite.runtime.Parallel;
import org.neurite.runtime.Tensor;

/**
 * The CPU LRN engine. With s_c = k + alpha/size * sum_{c' in W(c)} x_{c'}^2 and
 * W(c) = [c - size/2, c + (size-1)/2] clipped to the channels (PyTorch's window, asymmetric for even
 * sizes), y_c = x_c s_c^-beta and
 * <pre>
 *   dx_j = dY_j s_j^-beta - (2 alpha beta / size) x_j sum_{i : j in W(i)} dY_i y_i / s_i,
 * </pre>
 * where j in W(i) means i in [j - (size-1)/2, j + size/2]. Window sums are direct (size is small),
 * so no running sum drifts. Every (sample, channel) plane is one unit of parallel work.
 */
final class LrnCpu implements LrnOp {
    private static final int GRAIN_WORK = 1 << 14;

    private final LocalResponseNorm.Config cfg;
    private final int n, channels, spatial, grain;
    private final float[] scale;    // [N, C, spatial]: s of the last forward
    private final float[] ratio;    // [N, C, spatial]: dY y / s, backward's workspace

    LrnCpu(LocalResponseNorm.Config cfg, int n, int channels, int spatial) {
        this.cfg = cfg;
        this.n = n;
        this.channels = channels;
        this.spatial = spatial;
        this.grain = Math.max(1, GRAIN_WORK / (spatial * cfg.size()));
        this.scale = new float[n * channels * spatial];
        this.ratio = new float[n * channels * spatial];
    }

    @Override public void forward(Tensor x, Tensor y) {
        check(x, "x");
        check(y, "y");
        float[] xd = x.data(), yd = y.data();
        float a = cfg.alpha() / cfg.size(), k = cfg.k();
        Parallel.forRange(n * channels, grain, (p0, p1) -> {
            for (int pl = p0; pl < p1; pl++) {
                int i = pl / channels, c = pl % channels, off = pl * spatial;
                int lo = Math.max(0, c - cfg.size() / 2), hi = Math.min(channels - 1, c + (cfg.size() - 1) / 2);
                for (int j = 0; j < spatial; j++) {
                    float sq = 0f;
                    for (int cc = lo; cc <= hi; cc++) {
                        float v = xd[(i * channels + cc) * spatial + j];
                        sq += v * v;
                    }
                    float s = k + a * sq;
                    scale[off + j] = s;
                    yd[off + j] = xd[off + j] * pow(s);
                }
            }
        });
    }

    @Override public void backward(Tensor x, Tensor y, Tensor dY, Tensor dX) {
        check(x, "x");
        check(y, "y");
        check(dY, "dY");
        check(dX, "dX");
        float[] xd = x.data(), yd = y.data(), dy = dY.data(), dx = dX.data();
        Parallel.forRange(ratio.length, GRAIN_WORK, (i0, i1) -> {
            for (int i = i0; i < i1; i++) ratio[i] = dy[i] * yd[i] / scale[i];
        });
        float coef = 2f * cfg.alpha() * cfg.beta() / cfg.size();
        Parallel.forRange(n * channels, grain, (p0, p1) -> {
            for (int pl = p0; pl < p1; pl++) {
                int i = pl / channels, c = pl % channels, off = pl * spatial;
                // the channels whose windows contain c
                int lo = Math.max(0, c - (cfg.size() - 1) / 2), hi = Math.min(channels - 1, c + cfg.size() / 2);
                for (int j = 0; j < spatial; j++) {
                    float acc = 0f;
                    for (int cc = lo; cc <= hi; cc++) acc += ratio[(i * channels + cc) * spatial + j];
                    dx[off + j] = dy[off + j] * pow(scale[off + j]) - coef * xd[off + j] * acc;
                }
            }
        });
    }

    /** s^-beta; AlexNet's beta 0.75 as 1/(sqrt(s) sqrt(sqrt(s))), far cheaper than Math.pow. */
    private float pow(float s) {
        if (cfg.beta() == 0.75f) {
            double r = Math.sqrt(s);
            return (float) (1.0 / (r * Math.sqrt(r)));
        }
        return (float) Math.pow(s, -cfg.beta());
    }

    private void check(Tensor t, String what) {
        if (t.size() != scale.length) {
            throw new IllegalArgumentException("local response norm: " + what + " " + t.shape() + " for planned "
                    + n + " x " + channels + " x " + spatial);
        }
    }
}
