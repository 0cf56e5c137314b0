package org.neurite.layers.conv;

import org.neurite.runtime.Blas;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Tensor;

/**
 * Forward 3x3 stride-1 convolution by Winograd's minimal filtering F(2x2, 3x3) (Lavin and Gray
 * 2016): each 2x2 block of output pixels ("tile") comes from a 4x4 input patch d, and with the
 * transforms B, G, A below
 * <pre>
 *   Y_tile = A^T [ (G g G^T) (.) (B^T d B) ] A
 * </pre>
 * summed over input channels. Summing over channels first turns the element-wise products into 16
 * GEMMs, one per transform point xi:
 * <pre>
 *   U [16, K, C]  = G w[k,c] G^T                   (filters, once per call)
 *   V [16, C, T]  = B^T d[c,t] B                   (input patches of a chunk's T tiles)
 *   M_xi [K, T]   = U_xi [K, C] * V_xi [C, T]      (16 GEMMs)
 *   y             = A^T M[k,t] A (+ bias, ReLU)    (2x2 per tile, cropped at odd edges)
 * </pre>
 * 16 multiply-adds per channel and tile instead of 36: 2.25x fewer. The transforms only add and
 * halve, so the rounding stays close to the direct sum (tests bound it against im2col).
 * The transforms run flat over all tiles of a plane with unit stride (C2 vectorises them); tiles
 * are laid out sample by sample, row by row, with one spare tile per row (see inputTiles).
 * Chunks of B samples per GEMM, one slice of chunks per thread as in {@link ConvCpu}: every output
 * is the same sum whatever the chunking, so the result does not depend on the thread count.
 */
final class Winograd {
    /** The transforms run on {@link WinogradVector} when the JVM has the Vector API. */
    private static final boolean VECTOR = !"scalar".equals(System.getProperty("neurite.kernels"))
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    /** V floats per chunk, at most (unless one sample needs more): 256 KiB, with as much again for M. */
    private static final int CHUNK_FLOATS = 1 << 16;

    private final ConvGeometry g;
    private final int th, tw;           // tiles per column and row: ceil(OH/2), ceil(OW/2)
    private final int ep;               // tiles per row as laid out: tw + 1 (one spare, see inputTiles)
    private final int tiles;            // per sample as laid out: th * ep
    private final float[] u;            // U [16, K, C]
    private final float[] gw = new float[12];   // G w of one filter: 4 x 3
    private int threads, batch, chunks, slices;
    private Workspace[] ws = new Workspace[0];

    private float[] xd, bd, yd;
    private boolean relu;
    private final Parallel.RangeBody body = this::slices;

    private final class Workspace {
        final float[] v;                // V [16, C, B*tiles]
        final float[] m;                // M [16, K, B*tiles]
        final float[] quarters;         // one padded plane split by row and column parity [4, (th+1)*ep + 1]
        final float[] rows;             // B^T d [8, th*ep + 1]; A^T M A [4, th*ep]

        Workspace() {
            v = new float[16 * g.c() * batch * tiles];
            m = new float[16 * g.k() * batch * tiles];
            quarters = new float[4 * ((th + 1) * ep + 1)];
            rows = new float[8 * (th * ep + 1)];
        }
    }

    /** 3x3, stride 1, undilated, ungrouped, and channels enough for the GEMMs' k = C. */
    static boolean applies(ConvGeometry g) {
        return g.r() == 3 && g.s() == 3 && g.strideH() == 1 && g.strideW() == 1 && g.dilationH() == 1
                && g.dilationW() == 1 && g.groups() == 1 && g.c() >= 8 && g.k() >= 8;
    }

    Winograd(ConvGeometry g) {
        if (!applies(g)) throw new IllegalArgumentException("Winograd F(2x2,3x3) does not apply to " + g);
        this.g = g;
        this.th = (g.oh() + 1) / 2;
        this.tw = (g.ow() + 1) / 2;
        this.ep = tw + 1;
        this.tiles = th * ep;
        this.u = new float[16 * g.k() * g.c()];
    }

    /** y = act(conv(x, w) + b); b may be null. Shapes are checked by the caller. */
    void forward(Tensor x, Tensor w, Tensor b, Tensor y, boolean relu) {
        if (threads != Parallel.threads()) layout();
        filters(w.data());
        xd = x.data();
        bd = b == null ? null : b.data();
        yd = y.data();
        this.relu = relu;
        try {
            Parallel.forRange(slices, 1, body);
        } finally {
            xd = bd = yd = null;
        }
    }

    private void layout() {
        threads = Parallel.threads();
        int perThread = Math.ceilDiv(g.n(), threads);
        batch = Math.max(1, Math.min(perThread, CHUNK_FLOATS / (16 * Math.max(g.c(), g.k()) * tiles)));
        chunks = Math.ceilDiv(g.n(), batch);
        slices = Math.min(threads, chunks);
        ws = new Workspace[slices];
        for (int t = 0; t < slices; t++) ws[t] = new Workspace();
    }

    /** U_xi [k, c] = (G w[k,c] G^T)[xi], G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1]. */
    private void filters(float[] w) {
        int kc = g.k() * g.c();
        float[] t = gw;
        for (int f = 0; f < kc; f++) {
            int o = f * 9;
            for (int j = 0; j < 3; j++) {
                float w0 = w[o + j], w1 = w[o + 3 + j], w2 = w[o + 6 + j];
                t[j] = w0;
                t[3 + j] = 0.5f * (w0 + w1 + w2);
                t[6 + j] = 0.5f * (w0 - w1 + w2);
                t[9 + j] = w2;
            }
            for (int i = 0; i < 4; i++) {
                float a = t[3 * i], b = t[3 * i + 1], c = t[3 * i + 2];
                u[(4 * i) * kc + f] = a;
                u[(4 * i + 1) * kc + f] = 0.5f * (a + b + c);
                u[(4 * i + 2) * kc + f] = 0.5f * (a - b + c);
                u[(4 * i + 3) * kc + f] = c;
            }
        }
    }

    private void slices(int t0, int t1) {
        for (int t = t0; t < t1; t++) {
            int c0 = (int) ((long) chunks * t / slices), c1 = (int) ((long) chunks * (t + 1) / slices);
            for (int c = c0; c < c1; c++) chunk(c, ws[t]);
        }
    }

    private void chunk(int chunk, Workspace s) {
        int i0 = chunk * batch, bc = Math.min(batch, g.n() - i0), nt = bc * tiles;
        int ld = batch * tiles;         // row stride of V_xi and M_xi
        int c = g.c(), k = g.k();
        for (int b = 0; b < bc; b++) {
            for (int ch = 0; ch < c; ch++) inputTiles(s, (i0 + b) * c + ch, s.v, ch * ld + b * tiles, c * ld);
        }
        for (int xi = 0; xi < 16; xi++) {
            Blas.sgemm(false, false, k, nt, c, 1f, u, xi * k * c, c, s.v, xi * c * ld, ld, 0f, s.m, xi * k * ld, ld);
        }
        for (int b = 0; b < bc; b++) {
            for (int f = 0; f < k; f++) outputTiles(s, f * ld + b * tiles, k * ld, (i0 + b) * k + f, bd == null ? 0f : bd[f]);
        }
    }

    /**
     * V[xi] at off + xi*stride = B^T d B for every tile of plane p of x, B^T = [1 0 -1 0; 0 1 1 0;
     * 0 -1 1 0; 0 1 0 -1]. The padded plane is first split into quarters by row and column parity,
     * q[a][b] [th+1, ep]: tile (ti, tj) reads rows q[.][.][ti] and [ti+1], entries tj and tj+1, so
     * every later loop runs flat over all th*ep tiles (one spare tile per row) with unit stride.
     */
    private void inputTiles(Workspace s, int p, float[] v, int off, int stride) {
        int h = g.h(), w = g.w(), ph = g.padH(), pw = g.padW(), n = th * ep, qs = (th + 1) * ep + 1;
        float[] q = s.quarters, t = s.rows;
        int x0 = p * h * w;
        for (int ri = 0; ri <= th; ri++) {
            for (int a = 0; a < 2; a++) {
                int ir = 2 * ri + a - ph, q0 = (2 * a) * qs + ri * ep, q1 = q0 + qs;
                if (ir < 0 || ir >= h) {
                    java.util.Arrays.fill(q, q0, q0 + ep, 0f);
                    java.util.Arrays.fill(q, q1, q1 + ep, 0f);
                    continue;
                }
                int xr = x0 + ir * w;
                for (int j = 0; j < ep; j++) {
                    int ce = 2 * j - pw, co = ce + 1;
                    q[q0 + j] = ce >= 0 && ce < w ? xd[xr + ce] : 0f;
                    q[q1 + j] = co >= 0 && co < w ? xd[xr + co] : 0f;
                }
            }
        }
        int ts = n + 1;     // t [4 rows i][2 column parities] of n (+1 spare read) floats
        for (int b = 0; b < 2; b++) {
            int e0 = b * qs, e1 = (2 + b) * qs;     // quarters (row even, parity b) and (row odd, parity b)
            int r0 = b * ts, r1 = (2 + b) * ts, r2 = (4 + b) * ts, r3 = (6 + b) * ts;
            if (VECTOR) {
                WinogradVector.bt(n, q, e0, e1, ep, t, r0, r1, r2, r3);
                continue;
            }
            for (int i = 0; i < n; i++) {
                float d0 = q[e0 + i], d1 = q[e1 + i], d2 = q[e0 + ep + i], d3 = q[e1 + ep + i];
                t[r0 + i] = d0 - d2;
                t[r1 + i] = d1 + d2;
                t[r2 + i] = d2 - d1;
                t[r3 + i] = d1 - d3;
            }
        }
        for (int r = 0; r < 4; r++) {
            int te = 2 * r * ts, to = te + ts;
            int v0 = off + 4 * r * stride, v1 = v0 + stride, v2 = v1 + stride, v3 = v2 + stride;
            if (VECTOR) {
                WinogradVector.bt(n, t, te, to, 1, v, v0, v1, v2, v3);
                continue;
            }
            for (int i = 0; i < n; i++) {
                float d0 = t[te + i], d1 = t[to + i], d2 = t[te + i + 1], d3 = t[to + i + 1];
                v[v0 + i] = d0 - d2;
                v[v1 + i] = d1 + d2;
                v[v2 + i] = d2 - d1;
                v[v3 + i] = d1 - d3;
            }
        }
    }

    /** Output plane p of y = A^T M A (+ bias, ReLU) from M[xi] at off + xi*stride; A^T = [1 1 1 0; 0 1 -1 -1]. */
    private void outputTiles(Workspace s, int off, int stride, int p, float bias) {
        float[] m = s.m, t = s.rows;
        int n = th * ep;
        // A^T M: rows s_j = m0j + m1j + m2j and u_j = m1j - m2j - m3j, j = 0..3, then across
        if (VECTOR) {
            WinogradVector.at(n, m, off, stride, t, bias);
        } else {
            for (int i = 0; i < n; i++) {
                int o = off + i;
                float s0 = m[o] + m[o + 4 * stride] + m[o + 8 * stride];
                float s1 = m[o + stride] + m[o + 5 * stride] + m[o + 9 * stride];
                float s2 = m[o + 2 * stride] + m[o + 6 * stride] + m[o + 10 * stride];
                float s3 = m[o + 3 * stride] + m[o + 7 * stride] + m[o + 11 * stride];
                float u0 = m[o + 4 * stride] - m[o + 8 * stride] - m[o + 12 * stride];
                float u1 = m[o + 5 * stride] - m[o + 9 * stride] - m[o + 13 * stride];
                float u2 = m[o + 6 * stride] - m[o + 10 * stride] - m[o + 14 * stride];
                float u3 = m[o + 7 * stride] - m[o + 11 * stride] - m[o + 15 * stride];
                t[i] = s0 + s1 + s2 + bias;
                t[n + i] = s1 - s2 - s3 + bias;
                t[2 * n + i] = u0 + u1 + u2 + bias;
                t[3 * n + i] = u1 - u2 - u3 + bias;
            }
        }
        int oh = g.oh(), ow = g.ow(), y0 = p * oh * ow;
        for (int ti = 0; ti < th; ti++) {
            int row = 2 * ti, src = ti * ep;
            write(t, src, n + src, y0 + row * ow, ow);
            if (row + 1 < oh) write(t, 2 * n + src, 3 * n + src, y0 + (row + 1) * ow, ow);
        }
    }

    /** One output row: even pixels from t[ev..], odd from t[od..], ReLU when fused. */
    private void write(float[] t, int ev, int od, int yo, int ow) {
        for (int j = 0; 2 * j < ow; j++) {
            float a = t[ev + j];
            yd[yo + 2 * j] = relu ? Math.max(a, 0f) : a;
            if (2 * j + 1 < ow) {
                float b = t[od + j];
                yd[yo + 2 * j + 1] = relu ? Math.max(b, 0f) : b;
            }
        }
    }
}
