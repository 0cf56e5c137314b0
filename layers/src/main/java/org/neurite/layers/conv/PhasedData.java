package org.neurite.layers.conv;

import java.util.Arrays;
import org.neurite.runtime.Kernels;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Tensor;

/**
 * The input gradient of a stride-2 3x3 convolution with padding 1 (ResNet's and VGG-style
 * down-sampling) as four stride-1 products, one per phase (a, b) of the input grid, each on the
 * implicit GEMM. Input pixel (2i + a, 2j + b) is reached only by the taps r = a + 1 - 2*dr (and
 * s likewise) with dr, ds in {0, 1}, from output pixel (i + dr, j + ds):
 * <pre>
 *   dX [c, 2i+a, 2j+b] = sum over k and the phase's taps (r, s) of W [k, c, r, s] * dY [k, i+dr, j+ds]
 *   phase a = 0: r = 1 (dr 0);   a = 1: r = 0 (dr 1) and r = 2 (dr 0)
 * </pre>
 * so phase (a, b) is a product of C rows, K*|taps| terms and OH*OW columns, its B rows read from
 * two copies of dY (as is, and moved one column left), each with a zero row below. The im2col
 * engine instead multiplies W^T [C*9, K] by G, whose contraction K is short, and adds the product
 * back with col2im: 32->64@16x16 took 3.5 ms per batch of 64 on two threads.
 */
final class PhasedData {
    private static final int SLICES_PER_THREAD = 1;
    /** Taps of a 3x3, stride-2, pad-1 filter reaching phase a: r, and the output row offset dr. */
    private static final int[][] TAPS = {{1}, {0, 2}};
    private static final int[][] SHIFTS = {{0}, {1, 0}};

    private final ConvGeometry g;
    private final int rows;             // rows per dY copy: OH + 1 (the last zero)
    private final int pixels;           // OH * OW: the phase planes
    private final int copyFloats;       // 2 copies of K planes of rows * OW
    private final int[][] taps;         // per phase a*2+b: where tap (k, r, s)'s run starts in the copies
    private final int[] terms;          // per phase: K * taps
    private final float[][] packed;     // per phase: A [C, terms] packed for ImplicitGemm
    private final float[] unpacked;     // A of one phase before packing
    private final int[] segments;
    private float[][] copies = new float[0][], planes = new float[0][];
    private float[] dyd, dxd, yd;
    private boolean relu;
    private int slices;
    private final Parallel.RangeBody body = this::slices;

    static boolean applies(ConvGeometry g) {
        return ImplicitGemm.AVAILABLE && g.groups() == 1 && g.strideH() == 2 && g.strideW() == 2 && g.r() == 3 && g.s() == 3
                && g.padH() == 1 && g.padW() == 1 && g.dilationH() == 1 && g.dilationW() == 1
                && g.h() == 2 * g.oh() && g.w() == 2 * g.ow() && g.outPixels() % ImplicitGemm.tileColumns() == 0;
    }

    PhasedData(ConvGeometry g) {
        if (!applies(g)) throw new IllegalArgumentException("phased backward data does not apply to " + g);
        this.g = g;
        this.rows = g.oh() + 1;
        this.pixels = g.outPixels();
        this.copyFloats = 2 * g.k() * rows * g.ow();
        this.taps = new int[4][];
        this.terms = new int[4];
        this.packed = new float[4][];
        int plane = rows * g.ow();
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                int ph = a * 2 + b, n = g.k() * TAPS[a].length * TAPS[b].length, t = 0;
                int[] off = new int[n];
                for (int k = 0; k < g.k(); k++) {
                    for (int dr : SHIFTS[a]) {
                        for (int ds : SHIFTS[b]) off[t++] = (ds * g.k() + k) * plane + dr * g.ow();
                    }
                }
                taps[ph] = off;
                terms[ph] = n;
                packed[ph] = new float[ImplicitGemm.rows(g.c()) * n];
            }
        }
        this.unpacked = new float[g.c() * terms[3]];
        this.segments = ShiftedPlanes.segmentStarts(g);     // contiguous V-pixel segments of the output grid
    }

    /** dX = the input gradient for dY (masked by relu'(y) first when {@code relu}). */
    void run(Tensor dY, Tensor y, boolean relu, Tensor w, Tensor dX) {
        float[] wd = w.data();
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                int ph = a * 2 + b, n = terms[ph], t = 0;
                for (int k = 0; k < g.k(); k++) {
                    for (int r : TAPS[a]) {
                        for (int s : TAPS[b]) {
                            for (int c = 0; c < g.c(); c++) unpacked[c * n + t] = wd[((k * g.c() + c) * 3 + r) * 3 + s];
                            t++;
                        }
                    }
                }
                ImplicitGemm.pack(g.c(), n, unpacked, 0, packed[ph], 0);
            }
        }
        slices = Parallel.threads() == 1 ? 1 : Math.min(SLICES_PER_THREAD * Parallel.threads(), g.n());
        if (copies.length < slices) {
            copies = new float[slices][];
            planes = new float[slices][];
            for (int i = 0; i < slices; i++) {
                copies[i] = new float[copyFloats];
                planes[i] = new float[4 * g.c() * pixels];     // multiplyRows writes only the C valid rows
            }
        }
        dyd = dY.data();
        dxd = dX.data();
        yd = relu ? y.data() : null;
        this.relu = relu;
        try {
            Parallel.forEach(slices, body);
        } finally {
            dyd = dxd = yd = null;
        }
    }

    private void slices(int t0, int t1) {
        for (int t = t0; t < t1; t++) {
            int i0 = (int) ((long) g.n() * t / slices), i1 = (int) ((long) g.n() * (t + 1) / slices);
            for (int i = i0; i < i1; i++) sample(i, copies[t], planes[t]);
        }
    }

    private void sample(int i, float[] copy, float[] plane) {
        fill(i, copy);
        int ph4 = g.c() * pixels;
        for (int ph = 0; ph < 4; ph++) {
            ImplicitGemm.multiplyRows(g.c(), pixels, terms[ph], packed[ph], 0, copy, 0, segments, taps[ph],
                    plane, ph * ph4, pixels, null, 0, false);
        }
        // dX row 2u + a interleaves phases (a, 0) and (a, 1)
        int ow = g.ow(), w = g.w();
        for (int c = 0; c < g.c(); c++) {
            for (int u = 0; u < g.oh(); u++) {
                for (int a = 0; a < 2; a++) {
                    int p0 = (a * 2) * ph4 + c * pixels + u * ow, p1 = p0 + ph4;
                    EvenOddVector.merge(plane, p0, plane, p1, dxd, ((i * g.c() + c) * g.h() + 2 * u + a) * w, ow);
                }
            }
        }
    }

    /** The two copies of sample i's dY (masked when relu): as is, and one column left; a zero row below each plane. */
    private void fill(int i, float[] copy) {
        int ow = g.ow(), plane = rows * ow, shifted = g.k() * plane;
        for (int k = 0; k < g.k(); k++) {
            int src = (i * g.k() + k) * pixels, d0 = k * plane, d1 = shifted + k * plane;
            if (relu) Kernels.reluBackward(pixels, yd, src, dyd, src, copy, d0);
            else System.arraycopy(dyd, src, copy, d0, pixels);
            Arrays.fill(copy, d0 + pixels, d0 + plane, 0f);
            // the second copy is the first moved one float left, each row's last column zeroed
            System.arraycopy(copy, d0 + 1, copy, d1, plane - 1);
            for (int e = d1 + ow - 1; e < d1 + plane; e += ow) copy[e] = 0f;
        }
    }
}
