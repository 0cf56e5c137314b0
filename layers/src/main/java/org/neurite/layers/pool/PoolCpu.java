package org.neurite.layers.pool;

import java.util.Arrays;
import org.neurite.runtime.Kernels;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Tensor;

/**
 * The CPU pooling engine. Every (sample, channel) plane is independent, so planes are split over
 * the threads and the result does not depend on the thread count. Taps in the padding are skipped;
 * with padding at most half the window (checked by {@link Pool2d.Config}) no window is empty.
 * Max pooling remembers the argmax of every window (an index into its plane) for backward.
 * 2 x 2 windows with stride 2 and no padding (LeNet, VGG) go through {@link Kernels#maxPool2x2}
 * (Vector API, same outputs and argmax as the general loop: 0.5 -> 0.1 ms for LeNet's pool1).
 */
final class PoolCpu implements PoolOp {
    private static final int GRAIN_WORK = 4096;     // window reads per parallel chunk, at least

    private final Kind kind;
    private final PoolGeometry g;
    private final int grain;                        // planes per parallel chunk, at least
    private final int[] argmax;                     // MAX only: [N, C, OH, OW] index into the input plane
    private final boolean twoByTwo;                 // MAX, 2x2 windows, stride 2, no padding: Kernels.maxPool2x2

    // The running call's arrays, read by loop bodies built once (a step allocates nothing).
    private float[] src, dst;
    private final Parallel.RangeBody forwardBody = this::forwardPlanes;
    private final Parallel.RangeBody backwardBody = this::backwardPlanes;

    PoolCpu(Kind kind, PoolGeometry g) {
        this(kind, g, true);
    }

    /** {@code fastPaths} false always runs the general loops (tests compare the two). */
    PoolCpu(Kind kind, PoolGeometry g, boolean fastPaths) {
        this.kind = kind;
        this.g = g;
        this.grain = Math.max(1, GRAIN_WORK / Math.max(1, g.outPixels() * g.kh() * g.kw()));
        this.argmax = kind == Kind.MAX ? new int[g.planes() * g.outPixels()] : null;
        this.twoByTwo = fastPaths && kind == Kind.MAX && g.kh() == 2 && g.kw() == 2 && g.sh() == 2 && g.sw() == 2
                && g.ph() == 0 && g.pw() == 0;
    }

    @Override public Kind kind() { return kind; }

    @Override public PoolGeometry geometry() { return g; }

    @Override public void forward(Tensor x, Tensor y) {
        check(x, g.planes() * g.inPixels(), "x");
        check(y, g.planes() * g.outPixels(), "y");
        run(forwardBody, x.data(), y.data());
    }

    @Override public void backward(Tensor x, Tensor y, Tensor dY, Tensor dX) {
        check(dY, g.planes() * g.outPixels(), "dY");
        check(dX, g.planes() * g.inPixels(), "dX");
        run(backwardBody, dY.data(), dX.data());
    }

    private void run(Parallel.RangeBody body, float[] from, float[] to) {
        src = from;
        dst = to;
        try {
            Parallel.forRange(g.planes(), grain, body);
        } finally {
            src = dst = null;
        }
    }

    /** Planes [p0, p1): x = src, y = dst. */
    private void forwardPlanes(int p0, int p1) {
        float[] xd = src, yd = dst;
        for (int pl = p0; pl < p1; pl++) {
            int xOff = pl * g.inPixels(), yOff = pl * g.outPixels();
            if (twoByTwo) Kernels.maxPool2x2(g.oh(), g.ow(), g.w(), xd, xOff, yd, yOff, argmax, yOff);
            else if (kind == Kind.MAX) maxPlane(xd, xOff, yd, yOff);
            else avgPlane(xd, xOff, yd, yOff);
        }
    }

    /** Planes [p0, p1): dY = src, dX = dst. */
    private void backwardPlanes(int p0, int p1) {
        float[] dy = src, dx = dst;
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
    }

    // The plane loops run tap by tap: for each output row and each window tap (ky, kx), one pass over
    // the output columns [lo, hi) whose tap lies inside the input. The inner loops are long and
    // simple (no per-window clipping), and the max uses selects, not branches.

    private void maxPlane(float[] x, int xOff, float[] y, int yOff) {
        for (int oy = 0; oy < g.oh(); oy++) {
            int o = yOff + oy * g.ow();
            // Start every window at -inf and its first input pixel (its winner if all are -inf).
            int firstRow = Math.max(oy * g.sh() - g.ph(), 0) * g.w();
            for (int ox = 0; ox < g.ow(); ox++) {
                y[o + ox] = Float.NEGATIVE_INFINITY;
                argmax[o + ox] = firstRow + Math.max(ox * g.sw() - g.pw(), 0);
            }
            for (int ky = 0; ky < g.kh(); ky++) {
                int iy = oy * g.sh() - g.ph() + ky;
                if (iy < 0 || iy >= g.h()) continue;
                for (int kx = 0; kx < g.kw(); kx++) {
                    int dx = kx - g.pw();
                    int lo = firstInside(dx), hi = endInside(dx, lo);
                    int base = iy * g.w() + dx;       // plane index of this tap at output column 0
                    for (int ox = lo; ox < hi; ox++) {
                        int i = base + ox * g.sw();
                        float v = x[xOff + i];
                        float m = y[o + ox];
                        // Strictly greater keeps the first of equal values; Math.max lets NaN through.
                        argmax[o + ox] = v > m ? i : argmax[o + ox];
                        y[o + ox] = Math.max(m, v);
                    }
                }
            }
        }
    }

    private void avgPlane(float[] x, int xOff, float[] y, int yOff) {
        float scale = 1f / (g.kh() * g.kw());     // padding counts: always the full window
        for (int oy = 0; oy < g.oh(); oy++) {
            int o = yOff + oy * g.ow();
            Arrays.fill(y, o, o + g.ow(), 0f);
            for (int ky = 0; ky < g.kh(); ky++) {
                int iy = oy * g.sh() - g.ph() + ky;
                if (iy < 0 || iy >= g.h()) continue;
                for (int kx = 0; kx < g.kw(); kx++) {
                    int dx = kx - g.pw();
                    int lo = firstInside(dx), hi = endInside(dx, lo);
                    int base = xOff + iy * g.w() + dx;
                    for (int ox = lo; ox < hi; ox++) y[o + ox] += x[base + ox * g.sw()];
                }
            }
            for (int ox = 0; ox < g.ow(); ox++) y[o + ox] *= scale;
        }
    }

    private void avgBackwardPlane(float[] dy, int yOff, float[] dx, int xOff) {
        float scale = 1f / (g.kh() * g.kw());
        for (int oy = 0; oy < g.oh(); oy++) {
            int o = yOff + oy * g.ow();
            for (int ky = 0; ky < g.kh(); ky++) {
                int iy = oy * g.sh() - g.ph() + ky;
                if (iy < 0 || iy >= g.h()) continue;
                for (int kx = 0; kx < g.kw(); kx++) {
                    int d = kx - g.pw();
                    int lo = firstInside(d), hi = endInside(d, lo);
                    int base = xOff + iy * g.w() + d;
                    for (int ox = lo; ox < hi; ox++) dx[base + ox * g.sw()] += dy[o + ox] * scale;
                }
            }
        }
    }

    /** First output column whose tap at column offset {@code d} is inside the input (ox*sw + d >= 0). */
    private int firstInside(int d) {
        return d >= 0 ? 0 : Math.min(g.ow(), Math.ceilDiv(-d, g.sw()));
    }

    /** One past the last output column whose tap at offset {@code d} is inside (ox*sw + d < w); at least lo. */
    private int endInside(int d, int lo) {
        int end = g.w() - d <= 0 ? 0 : Math.ceilDiv(g.w() - d, g.sw());
        return Math.max(lo, Math.min(g.ow(), end));
    }

    private static void check(Tensor t, int size, String what) {
        if (t.size() != size) throw new IllegalArgumentException("PoolCpu planned for " + what + " of " + size + " floats, got " + t.shape());
    }
}
