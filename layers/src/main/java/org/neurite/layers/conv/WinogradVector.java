package org.neurite.layers.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The input and output transforms of {@link Winograd} on the Vector API (loaded only when
 * jdk.incubator.vector is present), with F(2x2, 3x3)'s
 * <pre>
 *   B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]      A^T = [1 1 1 0; 0 1 -1 -1]
 * </pre>
 * Tile (ti, tj) of a plane reads padded rows 2ti..2ti+3 and padded columns 2tj..2tj+3 (padding
 * 1). Across a row, a tile's four values are x[2tj-1], x[2tj], x[2tj+1], x[2tj+2]: the row's odd
 * columns moved one right behind a zero, its even ones, and both moved one left. Two-vector
 * shuffles of the loads at the row, two floats before it and two after, give all four as vectors
 * over tj, so B^T across is a vector loop. Down the columns the rows after that pass are kept by
 * row parity, so tile t = ti*TW + tj finds its four at t and t + TW in the even and odd rows: one
 * flat loop over all tiles of the plane.
 */
final class WinogradVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int V = S.length();

    private WinogradVector() { }

    /**
     * V_xi [c, t] for one plane of h rows, 2*tw columns at x[xOff..]: v[vOff + xi*vs + t] for
     * xi < 16, t < (h/2)*tw (a multiple of V). split [max(2 (tw+1), V)] and rt [8, h/2+1, tw]
     * are scratch whose entries this never writes must be zero: rt's padding rows, and where rows
     * are split, split's even last and odd first entries (else split holds the loads at x's ends).
     */
    static void input(int h, int tw, float[] x, int xOff, float[] split, float[] rt, float[] v, int vOff, int vs) {
        if (4 * tw == V && h == 8) {                // an 8x8 plane is four vectors (512-bit)
            input8x8(x, xOff, rt, v, vOff, vs);
        } else {
            inputByRows(h, tw, x, xOff, split, rt, v, vOff, vs);
        }
    }

    /** {@link #input} by B^T across each row into rt, then down: every shape (tests compare input8x8 with it). */
    static void inputByRows(int h, int tw, float[] x, int xOff, float[] split, float[] rt, float[] v, int vOff, int vs) {
        int w = 2 * tw, th = h / 2, plane = (th + 1) * tw, bs = 2 * plane;
        if (tw % V == 0) {                          // a row is whole vector pairs
            for (int i = 0; i < h; i++) {
                int pr = i + 1, dst = (pr & 1) * plane + (pr >> 1) * tw, row = xOff + i * w;
                for (int j = 0; j < tw; j += V) across(x, row + 2 * j, row + 2 * j + V, j == 0, false, false, j + V == tw, split, rt, dst + j, bs);
            }
        } else if (2 * tw == V && h % 4 == 0) {     // two rows of one parity a vector pair (8x8 planes on AVX2)
            for (int i = 0; i < h; i += (i & 1) == 0 ? 1 : 3) {
                int pr = i + 1, dst = (pr & 1) * plane + (pr >> 1) * tw, row = xOff + i * w;
                across(x, row, row + 2 * w, true, true, true, true, split, rt, dst, bs);
            }
        } else {
            int sw = tw + 1;
            for (int i = 0; i < h; i++) {
                EvenOddVector.split(x, xOff + i * w, split, 0, split, sw + 1, tw);
                int pr = i + 1;                     // the padded row: parity pr & 1, index pr >> 1 there
                acrossSplit(tw, split, sw, 0, rt, (pr & 1) * plane + (pr >> 1) * tw, bs);
            }
        }
        int tiles = th * tw;
        for (int b = 0; b < 4; b++) {
            int re = 2 * b * plane, ro = re + plane;
            int v0 = vOff + b * vs, v1 = v0 + 4 * vs, v2 = v1 + 4 * vs, v3 = v2 + 4 * vs;
            for (int t = 0; t < tiles; t += V) {
                FloatVector d0 = FloatVector.fromArray(S, rt, re + t), d1 = FloatVector.fromArray(S, rt, ro + t);
                FloatVector d2 = FloatVector.fromArray(S, rt, re + t + tw), d3 = FloatVector.fromArray(S, rt, ro + t + tw);
                d0.sub(d2).intoArray(v, v0 + t);
                d1.add(d2).intoArray(v, v1 + t);
                d2.sub(d1).intoArray(v, v2 + t);
                d1.sub(d3).intoArray(v, v3 + t);
            }
        }
    }

    private static final FloatVector ZERO = FloatVector.zero(S);

    // input8x8's shuffles of two vectors, lane l = 4r + j for row r of four, tile column j; indexes past V pick from the second
    private static final VectorShuffle<Float> COL_EVEN = shuffle(l -> 2 * l), COL_ODD = shuffle(l -> 2 * l + 1);
    private static final VectorShuffle<Float> COL_BEFORE = shuffle(l -> Math.max(0, 2 * l - 1)), COL_AFTER = shuffle(l -> Math.min(2 * V - 1, 2 * l + 2));
    private static final VectorShuffle<Float> ROW_EVEN = shuffle(l -> l / 4 * 8 + l % 4), ROW_ODD = shuffle(l -> l / 4 * 8 + 4 + l % 4);
    private static final VectorShuffle<Float> ROW_BEFORE = shuffle(l -> Math.max(0, l / 4 * 8 - 4 + l % 4)), ROW_AFTER = shuffle(l -> Math.min(2 * V - 1, l / 4 * 8 + 8 + l % 4));
    // the lanes those leave to the padding: the first and last tile column, the first and last tile row
    private static final VectorMask<Float> FIRST_COLUMN = VectorMask.fromLong(S, 0x1111L), LAST_COLUMN = VectorMask.fromLong(S, 0x8888L);
    private static final VectorMask<Float> FIRST_ROW = VectorMask.fromLong(S, 0x000FL), LAST_ROW = VectorMask.fromLong(S, 0xF000L);

    private static VectorShuffle<Float> shuffle(java.util.function.IntUnaryOperator index) {
        return VectorShuffle.fromOp(S, index);
    }

    /**
     * {@link #input} for an 8x8 plane with 16-lane vectors: the general path splits its 8-pixel
     * rows lane by lane (2.25 ns a pixel against 0.8 for 16x16 planes). Here the plane's four
     * vectors, two rows each, give B^T across four rows at a time (lanes 4r + tj), and two-vector
     * shuffles of those give each tile's four rows (lanes 4ti + tj), the padding blended in as
     * zeros: the same differences of the same values as the general path, so the same bits.
     */
    private static void input8x8(float[] x, int xOff, float[] rt, float[] v, int vOff, int vs) {
        FloatVector p0 = FloatVector.fromArray(S, x, xOff), p1 = FloatVector.fromArray(S, x, xOff + V);
        FloatVector p2 = FloatVector.fromArray(S, x, xOff + 2 * V), p3 = FloatVector.fromArray(S, x, xOff + 3 * V);
        for (int half = 0; half < 2; half++) {
            FloatVector a = half == 0 ? p0 : p2, b = half == 0 ? p1 : p3;
            FloatVector d0 = a.rearrange(COL_BEFORE, b).blend(ZERO, FIRST_COLUMN), d1 = a.rearrange(COL_EVEN, b);
            FloatVector d2 = a.rearrange(COL_ODD, b), d3 = a.rearrange(COL_AFTER, b).blend(ZERO, LAST_COLUMN);
            // rows 0-3 (half 0) and 4-7 of (B^T d)[b] across at rt[2V b + V half]: this shape's rt holds nothing else
            int o = half * V;
            d0.sub(d2).intoArray(rt, o);
            d1.add(d2).intoArray(rt, o + 2 * V);
            d2.sub(d1).intoArray(rt, o + 4 * V);
            d1.sub(d3).intoArray(rt, o + 6 * V);
        }
        for (int b = 0; b < 4; b++) {
            FloatVector lo = FloatVector.fromArray(S, rt, 2 * V * b), hi = FloatVector.fromArray(S, rt, 2 * V * b + V);
            FloatVector d0 = lo.rearrange(ROW_BEFORE, hi).blend(ZERO, FIRST_ROW), d1 = lo.rearrange(ROW_EVEN, hi);
            FloatVector d2 = lo.rearrange(ROW_ODD, hi), d3 = lo.rearrange(ROW_AFTER, hi).blend(ZERO, LAST_ROW);
            int v0 = vOff + b * vs;
            d0.sub(d2).intoArray(v, v0);
            d1.add(d2).intoArray(v, v0 + 4 * vs);
            d2.sub(d1).intoArray(v, v0 + 8 * vs);
            d1.sub(d3).intoArray(v, v0 + 12 * vs);
        }
    }
    /** Lanes 0, 1 of a vector (a load two before a row's start), and its last two (two past its end). */
    private static final VectorMask<Float> FIRST_2 = VectorMask.fromLong(S, 3L), LAST_2 = VectorMask.fromLong(S, 3L << (V - 2));

    /**
     * The V floats at x[off], lanes 0 and 1 zero when {@code rowStart} (they lie before the row):
     * a plain load and a blend. Before x's first row, the lanes that exist go through the scratch
     * {@code edge} [V]: a masked load reaching past the array takes the Vector API's lane-by-lane
     * fallback, and that once per call cost 4% of a W4 step.
     */
    private static FloatVector earlier(float[] x, int off, boolean rowStart, float[] edge) {
        if (!rowStart) return FloatVector.fromArray(S, x, off);
        if (off >= 0) return FloatVector.fromArray(S, x, off).blend(ZERO, FIRST_2);
        for (int l = 0; l < V; l++) edge[l] = l < 2 || off + l >= x.length ? 0f : x[off + l];
        return FloatVector.fromArray(S, edge, 0);
    }

    /** The V floats at x[off], the last two zero when {@code rowEnd} (they lie past the row); past x's last row through edge. */
    private static FloatVector later(float[] x, int off, boolean rowEnd, float[] edge) {
        if (!rowEnd) return FloatVector.fromArray(S, x, off);
        if (off + V <= x.length) return FloatVector.fromArray(S, x, off).blend(ZERO, LAST_2);
        for (int l = 0; l < V; l++) edge[l] = l >= V - 2 || off + l >= x.length ? 0f : x[off + l];
        return FloatVector.fromArray(S, edge, 0);
    }

    /**
     * B^T across the V tiles whose 2V input columns are the vectors at x[pa] and x[pb], straight
     * from x: d1, d2 = their even and odd columns; d0 = the odd columns of the pair two floats
     * earlier, d3 = the even ones of the pair two floats later. Where a vector starts (ends) a
     * row, its earlier (later) load has the two lanes outside the row zeroed, so the padding's
     * zero comes in instead of the neighbouring row. rt[dst + b*bs ..] = (B^T d)[b] for V tiles.
     */
    private static void across(float[] x, int pa, int pb, boolean aFirst, boolean bFirst, boolean aLast, boolean bLast, float[] edge,
                               float[] rt, int dst, int bs) {
        FloatVector a = FloatVector.fromArray(S, x, pa), b = FloatVector.fromArray(S, x, pb);
        FloatVector d1 = a.rearrange(EvenOddVector.EVEN, b), d2 = a.rearrange(EvenOddVector.ODD, b);
        FloatVector d0 = earlier(x, pa - 2, aFirst, edge).rearrange(EvenOddVector.ODD, earlier(x, pb - 2, bFirst, edge));
        FloatVector d3 = later(x, pa + 2, aLast, edge).rearrange(EvenOddVector.EVEN, later(x, pb + 2, bLast, edge));
        d0.sub(d2).intoArray(rt, dst);
        d1.add(d2).intoArray(rt, dst + bs);
        d2.sub(d1).intoArray(rt, dst + 2 * bs);
        d1.sub(d3).intoArray(rt, dst + 3 * bs);
    }

    /**
     * B^T across one split row (planes whose rows are neither whole vector pairs nor half of one):
     * with d0..d3 = odd[tj], even[tj], odd[tj+1], even[tj+1] (the odd columns sit one right),
     * rt[dst + b*bs + tj] = (B^T d)[b] for tj < tw.
     */
    private static void acrossSplit(int tw, float[] s, int odd, int even, float[] rt, int dst, int bs) {
        int j = 0;
        for (; j + V <= tw; j += V) {
            FloatVector d0 = FloatVector.fromArray(S, s, odd + j), d1 = FloatVector.fromArray(S, s, even + j);
            FloatVector d2 = FloatVector.fromArray(S, s, odd + j + 1), d3 = FloatVector.fromArray(S, s, even + j + 1);
            d0.sub(d2).intoArray(rt, dst + j);
            d1.add(d2).intoArray(rt, dst + bs + j);
            d2.sub(d1).intoArray(rt, dst + 2 * bs + j);
            d1.sub(d3).intoArray(rt, dst + 3 * bs + j);
        }
        for (; j < tw; j++) {
            float d0 = s[odd + j], d1 = s[even + j], d2 = s[odd + j + 1], d3 = s[even + j + 1];
            rt[dst + j] = d0 - d2;
            rt[dst + bs + j] = d1 + d2;
            rt[dst + 2 * bs + j] = d2 - d1;
            rt[dst + 3 * bs + j] = d1 - d3;
        }
    }

    /**
     * One output plane y[yOff..] (2*th rows of 2*tw) = act(A^T M A + bias), M_xi's tiles at
     * m[off + xi*st + t]. Column b of the 4x4 gives s_b = m0b + m1b + m2b (the even output row's)
     * and u_b = m1b - m2b - m3b (the odd one's), then A across each row. The two rows are two
     * passes, so the middle eight M_xi are loaded twice: on AVX2 that was 0.5-2% slower than
     * one pass (paired W4 steps), but on AVX-512 the one pass boxed vectors (below). All four
     * rows with their loads in flight at once spilled AVX2's 16 registers (70% slower). Where a
     * vector of tiles is part of one tile row (tw a multiple of V) or exactly
     * two (2*tw = V), a row's even and odd pixels are interleaved straight into y; other widths
     * go through out [4, th*tw] and {@link EvenOddVector#merge} (an 8x8 plane with 16 lanes: {@link #merge8x8}).
     */
    static void output(int th, int tw, float[] m, int off, int st, float bias, boolean relu, float[] out, float[] y, int yOff) {
        boolean direct = tw % V == 0 || 2 * tw == V;
        evenRows(th, tw, m, off, st, bias, relu, direct, out, y, yOff);
        oddRows(th, tw, m, off, st, bias, relu, direct, out, y, yOff);
        if (direct) return;
        if (4 * tw == V && th == 4) {               // an 8x8 plane is four vectors (512-bit)
            merge8x8(out, y, yOff);
            return;
        }
        int tiles = th * tw, w = 2 * tw;
        for (int ti = 0; ti < th; ti++) {
            int row = yOff + 2 * ti * w, t = ti * tw;
            EvenOddVector.merge(out, t, out, tiles + t, y, row, tw);
            EvenOddVector.merge(out, 2 * tiles + t, out, 3 * tiles + t, y, row + w, tw);
        }
    }

    private static final VectorShuffle<Float> ZIP_LO = shuffle(l -> l % 2 == 0 ? l / 2 : V + l / 2);
    private static final VectorShuffle<Float> ZIP_HI = shuffle(l -> l % 2 == 0 ? V / 2 + l / 2 : V + V / 2 + l / 2);
    private static final VectorShuffle<Float> LOW_HALVES = shuffle(l -> l < V / 2 ? l : V + l - V / 2);
    private static final VectorShuffle<Float> HIGH_HALVES = shuffle(l -> l < V / 2 ? V / 2 + l : V + l);

    /**
     * The 8x8 output plane y[yOff..] from out's four vectors of 16 tiles (lanes 4ti + tj): the even
     * output rows' even and odd pixels, then the odd rows'. Zipping each pair gives rows 0, 2 | 4, 6
     * and 1, 3 | 5, 7; taking halves of those gives the plane's vectors, two rows each.
     */
    private static void merge8x8(float[] out, float[] y, int yOff) {
        FloatVector ee = FloatVector.fromArray(S, out, 0), eo = FloatVector.fromArray(S, out, V);
        FloatVector oe = FloatVector.fromArray(S, out, 2 * V), oo = FloatVector.fromArray(S, out, 3 * V);
        FloatVector rows02 = ee.rearrange(ZIP_LO, eo), rows46 = ee.rearrange(ZIP_HI, eo);
        FloatVector rows13 = oe.rearrange(ZIP_LO, oo), rows57 = oe.rearrange(ZIP_HI, oo);
        rows02.rearrange(LOW_HALVES, rows13).intoArray(y, yOff);
        rows02.rearrange(HIGH_HALVES, rows13).intoArray(y, yOff + V);
        rows46.rearrange(LOW_HALVES, rows57).intoArray(y, yOff + 2 * V);
        rows46.rearrange(HIGH_HALVES, rows57).intoArray(y, yOff + 3 * V);
    }

    // The even output rows (from the s_b) and the odd ones (from the u_b) in two passes, each
    // loading the 12 of M's 16 vectors it needs. With both rows in one loop C2 reached its
    // node-count cutoff before the last store helper (AVX-512), did not inline it and boxed its
    // vectors: W4 allocated about 4 GB in a run (JFR), however the calls were arranged.
    private static void evenRows(int th, int tw, float[] m, int off, int st, float bias, boolean relu, boolean direct,
                                 float[] out, float[] y, int yOff) {
        int tiles = th * tw, w = 2 * tw;
        FloatVector bv = FloatVector.broadcast(S, bias);
        for (int t = 0; t < tiles; t += V) {
            int o = off + t;
            FloatVector s0 = FloatVector.fromArray(S, m, o).add(FloatVector.fromArray(S, m, o + 4 * st)).add(FloatVector.fromArray(S, m, o + 8 * st));
            FloatVector s1 = FloatVector.fromArray(S, m, o + st).add(FloatVector.fromArray(S, m, o + 5 * st)).add(FloatVector.fromArray(S, m, o + 9 * st));
            FloatVector s2 = FloatVector.fromArray(S, m, o + 2 * st).add(FloatVector.fromArray(S, m, o + 6 * st)).add(FloatVector.fromArray(S, m, o + 10 * st));
            FloatVector s3 = FloatVector.fromArray(S, m, o + 3 * st).add(FloatVector.fromArray(S, m, o + 7 * st)).add(FloatVector.fromArray(S, m, o + 11 * st));
            FloatVector even = s0.add(s1).add(s2).add(bv), odd = s1.sub(s2).sub(s3).add(bv);
            if (direct) {
                int ti = t / tw;
                store(even, odd, relu, tw, y, yOff + 2 * ti * w + 2 * (t - ti * tw), w);
            } else {
                store(even, odd, relu, out, t, tiles);
            }
        }
    }

    private static void oddRows(int th, int tw, float[] m, int off, int st, float bias, boolean relu, boolean direct,
                                float[] out, float[] y, int yOff) {
        int tiles = th * tw, w = 2 * tw;
        FloatVector bv = FloatVector.broadcast(S, bias);
        for (int t = 0; t < tiles; t += V) {
            int o = off + t;
            FloatVector u0 = FloatVector.fromArray(S, m, o + 4 * st).sub(FloatVector.fromArray(S, m, o + 8 * st)).sub(FloatVector.fromArray(S, m, o + 12 * st));
            FloatVector u1 = FloatVector.fromArray(S, m, o + 5 * st).sub(FloatVector.fromArray(S, m, o + 9 * st)).sub(FloatVector.fromArray(S, m, o + 13 * st));
            FloatVector u2 = FloatVector.fromArray(S, m, o + 6 * st).sub(FloatVector.fromArray(S, m, o + 10 * st)).sub(FloatVector.fromArray(S, m, o + 14 * st));
            FloatVector u3 = FloatVector.fromArray(S, m, o + 7 * st).sub(FloatVector.fromArray(S, m, o + 11 * st)).sub(FloatVector.fromArray(S, m, o + 15 * st));
            FloatVector even = u0.add(u1).add(u2).add(bv), odd = u1.sub(u2).sub(u3).add(bv);
            if (direct) {
                int ti = t / tw;
                store(even, odd, relu, tw, y, yOff + 2 * ti * w + 2 * (t - ti * tw) + w, w);
            } else {
                store(even, odd, relu, out, 2 * tiles + t, tiles);
            }
        }
    }

    /**
     * One output row's pixels of V tiles (their even and odd columns), interleaved into y at row:
     * one tile row's 2V pixels, or (2*tw = V) the first half's row here and the second's two rows down.
     */
    private static void store(FloatVector even, FloatVector odd, boolean relu, int tw, float[] y, int row, int w) {
        if (relu) {
            even = even.max(0f);
            odd = odd.max(0f);
        }
        EvenOddVector.interleave(even, odd, y, row, 2 * tw == V ? row + 2 * w : row + V);
    }

    /** The same pixels to the scratch: even ones at out[o], odd ones a plane of tiles later. */
    private static void store(FloatVector even, FloatVector odd, boolean relu, float[] out, int o, int tiles) {
        if (relu) {
            even = even.max(0f);
            odd = odd.max(0f);
        }
        even.intoArray(out, o);
        odd.intoArray(out, o + tiles);
    }

    /**
     * Z_xi [t, k] = (A dY_t A^T)[xi] at z[zOff + xi*zs + t*k + f] for the th x tw tiles of one
     * sample, from its output gradient transposed, dyT [2th * 2tw, k] (k a multiple of V):
     * A = [1 0; 1 1; 1 -1; 0 -1], so down the columns the 2x2 tile's rows g0, g1 become g0,
     * g0 + g1, g0 - g1, -g1, and across each (p, q) becomes p, p + q, p - q, -q.
     */
    static void outputGradient(int th, int tw, int k, float[] dyT, float[] z, int zOff, int zs) {
        int ow = 2 * tw;
        for (int ti = 0; ti < th; ti++) {
            for (int tj = 0; tj < tw; tj++) {
                int top = (2 * ti * ow + 2 * tj) * k, bottom = top + ow * k, to = zOff + (ti * tw + tj) * k;
                for (int f = 0; f < k; f += V) {
                    FloatVector g00 = FloatVector.fromArray(S, dyT, top + f), g01 = FloatVector.fromArray(S, dyT, top + k + f);
                    FloatVector g10 = FloatVector.fromArray(S, dyT, bottom + f), g11 = FloatVector.fromArray(S, dyT, bottom + k + f);
                    int o = to + f;
                    gradientAcross(g00, g01, z, o, zs);
                    gradientAcross(g00.add(g10), g01.add(g11), z, o + 4 * zs, zs);
                    gradientAcross(g00.sub(g10), g01.sub(g11), z, o + 8 * zs, zs);
                    gradientAcross(g10.neg(), g11.neg(), z, o + 12 * zs, zs);
                }
            }
        }
    }

    /** z[o], z[o + zs], z[o + 2zs], z[o + 3zs] = p, p + q, p - q, -q. */
    private static void gradientAcross(FloatVector p, FloatVector q, float[] z, int o, int zs) {
        p.intoArray(z, o);
        p.add(q).intoArray(z, o + zs);
        p.sub(q).intoArray(z, o + 2 * zs);
        q.neg().intoArray(z, o + 3 * zs);
    }
}
