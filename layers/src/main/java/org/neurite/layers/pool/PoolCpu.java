package org.neurite.layers.pool;

import java.util.Arrays;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Tensor;

/**
 * The CPU pooling engine. Every (sample, channel) plane is independent, so planes are split over
 * the threads and the result does not depend on the thread count. Windows are clipped to the
 * input; with padding at most half the window (checked by {@link Pool2d.Config}) none is empty.
 * Max pooling remembers the argmax of every window (an index into its plane) for backward.
 */
final class PoolCpu implements PoolOp {
    private static final int GRAIN_WORK = 4096;     // window reads per parallel chunk, at least

    private final Kind kind;
    private final PoolGeometry g;
    private final int grain;                        // planes per parallel chunk, at least
    private final int[] argmax;                     // MAX only: [N, C, OH, OW] index into the input plane

    PoolCpu(Kind kind, PoolGeometry g) {
        this.kind = kind;
        this.g = g;
        this.grain = Math.max(1, GRAIN_WORK / Math.max(1, g.outPixels() * g.kh() * g.kw()));
        this.argmax = kind == Kind.MAX ? new int[g.planes() * g.outPixels()] : null;
    }

    @Override public Kind kind() { return kind; }

    @Override public PoolGeometry geometry() { return g; }

    @Override public void forward(Tensor x, Tensor y) {
        check(x, g.planes() * g.inPixels(), "x");
        check(y, g.planes() * g.outPixels(), "y");
        float[] xd = x.data(), yd = y.data();
        Parallel.forRange(g.planes(), grain, (p0, p1) -> {
            for (int pl = p0; pl < p1; pl++) {
                if (kind == Kind.MAX) maxPlane(xd, pl * g.inPixels(), yd, pl * g.outPixels());
                else avgPlane(xd, pl * g.inPixels(), yd, pl * g.outPixels());
            }
        });
    }

    @Override public void backward(Tensor x, Tensor y, Tensor dY, Tensor dX) {
        check(dY, g.planes() * g.outPixels(), "dY");
        check(dX, g.planes() * g.inPixels(), "dX");
        float[] dy = dY.data(), dx = dX.data();
        Parallel.forRange(g.planes(), grain, (p0, p1) -> {
            for (int pl = p0; pl < p1; pl++) {
                int xOff = pl * g.inPixels(), yOff = pl * g.outPixels();
                Arrays.fill(dx, xOff, xOff + g.inPixels(), 0f);
                if (kind == Kind.MAX) {
                    // Overlapping windows may share a winner: accumulate.
                    for (int o = yOff; o < yOff + g.outPixels(); o++) dx[xOff + argmax[o]] += dy[o];
                } else {
                    avgBackwardPlane(dy, yOff, dx, xOff);
                }
            }
        });
    }

    private void maxPlane(float[] x, int xOff, float[] y, int yOff) {
        int o = yOff;
        for (int oy = 0; oy < g.oh(); oy++) {
            int top = oy * g.sh() - g.ph(), y0 = Math.max(top, 0), y1 = Math.min(top + g.kh(), g.h());
            for (int ox = 0; ox < g.ow(); ox++, o++) {
                int left = ox * g.sw() - g.pw(), x0 = Math.max(left, 0), x1 = Math.min(left + g.kw(), g.w());
                int best = y0 * g.w() + x0;
                float max = x[xOff + best];
                for (int iy = y0; iy < y1; iy++) {
                    for (int i = iy * g.w() + x0; i < iy * g.w() + x1; i++) {
                        float v = x[xOff + i];
                        if (v > max || Float.isNaN(v)) {    // NaN propagates, as in PyTorch
                            max = v;
                            best = i;
                        }
                    }
                }
                y[o] = max;
                argmax[o] = best;
            }
        }
    }

    private void avgPlane(float[] x, int xOff, float[] y, int yOff) {
        float scale = 1f / (g.kh() * g.kw());     // padding counts: always the full window
        int o = yOff;
        for (int oy = 0; oy < g.oh(); oy++) {
            int top = oy * g.sh() - g.ph(), y0 = Math.max(top, 0), y1 = Math.min(top + g.kh(), g.h());
            for (int ox = 0; ox < g.ow(); ox++, o++) {
                int left = ox * g.sw() - g.pw(), x0 = Math.max(left, 0), x1 = Math.min(left + g.kw(), g.w());
                float s = 0f;
                for (int iy = y0; iy < y1; iy++) {
                    for (int i = iy * g.w() + x0; i < iy * g.w() + x1; i++) s += x[xOff + i];
                }
                y[o] = s * scale;
            }
        }
    }

    private void avgBackwardPlane(float[] dy, int yOff, float[] dx, int xOff) {
        float scale = 1f / (g.kh() * g.kw());
        int o = yOff;
        for (int oy = 0; oy < g.oh(); oy++) {
            int top = oy * g.sh() - g.ph(), y0 = Math.max(top, 0), y1 = Math.min(top + g.kh(), g.h());
            for (int ox = 0; ox < g.ow(); ox++, o++) {
                int left = ox * g.sw() - g.pw(), x0 = Math.max(left, 0), x1 = Math.min(left + g.kw(), g.w());
                float d = dy[o] * scale;
                for (int iy = y0; iy < y1; iy++) {
                    for (int i = iy * g.w() + x0; i < iy * g.w() + x1; i++) dx[xOff + i] += d;
                }
            }
        }
    }

    private static void check(Tensor t, int size, String what) {
        if (t.size() != size) throw new IllegalArgumentException("PoolCpu planned for " + what + " of " + size + " floats, got " + t.shape());
    }
}
