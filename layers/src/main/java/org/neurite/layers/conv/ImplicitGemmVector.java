package org.neurite.layers.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API body of {@link ImplicitGemm}; loaded only when jdk.incubator.vector is present.
 * Tiles of MR x 2V: MR = 8 with 512-bit vectors (AVX-512's 32 registers hold 16 accumulators, two
 * B rows and the broadcast A), else 5 (AVX2's 16 registers spill a sixth row); ResNet's 16, 32 and
 * 64 filters are whole 8-row panels. A 4-row tile takes a last panel of up to 4 rows, and every
 * panel where 4-row panels compute fewer rows ({@link ImplicitGemm#panelHeight}: 16 and 32
 * filters with 256-bit vectors). Each B row of the tile is read where the tap's run starts ({@code base + rowOff[p]}):
 * the column matrix is never built. Each element of Y is one chain of fused multiply-adds over p
 * in order, whatever MR is: the panel height changes which rows share a tile, not any sum.
 */
final class ImplicitGemmVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int V = S.length();
    static final int MR = S.vectorBitSize() == 512 ? 8 : 5;
    private static final FloatVector ZERO = FloatVector.zero(S);

    private ImplicitGemmVector() { }

    /**
     * See {@link ImplicitGemm#multiply}; mr (4, 5 or 8) is the packed panels' height. A null
     * rowOff means B's rows are evenly spaced, row p at {@code base + p*ldb} ({@link Winograd}'s
     * products): C2 unswitches the tiles' loops on it, and with the addresses affine in p it
     * hoists the range checks it keeps for looked-up offsets (m = k = 16 / 32 / 64: 50 / 59 / 68
     * -> 55 / 66 / 79 GFLOP/s).
     */
    static void multiply(int mr, int m, int n, int k, float[] ap, int aOff, float[] src, int base, int[] rowOff, int ldb, float[] y, int yOff, int ldy) {
        int panel = k * mr;
        for (int j = 0; j < n; j += 2 * V) {
            for (int i = 0, ao = aOff; i < m; i += mr, ao += panel) {
                int yo = yOff + i * ldy + j;
                if (mr == 4 || m - i <= 4) {
                    tile4(mr, k, ap, ao, src, base + j, rowOff, ldb, y, yo, ldy);
                } else if (mr == 5) {
                    tile5(k, ap, ao, src, base + j, rowOff, ldb, y, yo, ldy);
                } else {
                    tile8(k, ap, ao, src, base + j, rowOff, ldb, y, yo, ldy);
                }
            }
        }
    }

    /** Rows i..i+7 (panel at ao, 8 rows apart per p), columns j..j+2V-1. */
    private static void tile8(int k, float[] ap, int ao, float[] src, int base, int[] rowOff, int ldb, float[] y, int yo, int ldy) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int ai = ao + p * 8;
            int bo = rowOff != null ? base + rowOff[p] : base + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, src, bo);
            FloatVector b1 = FloatVector.fromArray(S, src, bo + V);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, ap[ai + 6]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, ap[ai + 7]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
        }
        c00.intoArray(y, yo);
        c01.intoArray(y, yo + V);
        c10.intoArray(y, yo + ldy);
        c11.intoArray(y, yo + ldy + V);
        c20.intoArray(y, yo + 2 * ldy);
        c21.intoArray(y, yo + 2 * ldy + V);
        c30.intoArray(y, yo + 3 * ldy);
        c31.intoArray(y, yo + 3 * ldy + V);
        c40.intoArray(y, yo + 4 * ldy);
        c41.intoArray(y, yo + 4 * ldy + V);
        c50.intoArray(y, yo + 5 * ldy);
        c51.intoArray(y, yo + 5 * ldy + V);
        c60.intoArray(y, yo + 6 * ldy);
        c61.intoArray(y, yo + 6 * ldy + V);
        c70.intoArray(y, yo + 7 * ldy);
        c71.intoArray(y, yo + 7 * ldy + V);
    }

    /** Rows i..i+4 (panel at ao, 5 rows apart per p), columns j..j+2V-1. */
    private static void tile5(int k, float[] ap, int ao, float[] src, int base, int[] rowOff, int ldb, float[] y, int yo, int ldy) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int ai = ao + p * 5;
            int bo = rowOff != null ? base + rowOff[p] : base + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, src, bo);
            FloatVector b1 = FloatVector.fromArray(S, src, bo + V);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
        }
        c00.intoArray(y, yo);
        c01.intoArray(y, yo + V);
        c10.intoArray(y, yo + ldy);
        c11.intoArray(y, yo + ldy + V);
        c20.intoArray(y, yo + 2 * ldy);
        c21.intoArray(y, yo + 2 * ldy + V);
        c30.intoArray(y, yo + 3 * ldy);
        c31.intoArray(y, yo + 3 * ldy + V);
        c40.intoArray(y, yo + 4 * ldy);
        c41.intoArray(y, yo + 4 * ldy + V);
    }

    /** Rows i..i+3 (panel at ao, mr rows apart per p), columns j..j+2V-1. */
    private static void tile4(int mr, int k, float[] ap, int ao, float[] src, int base, int[] rowOff, int ldb, float[] y, int yo, int ldy) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int ai = ao + p * mr;
            int bo = rowOff != null ? base + rowOff[p] : base + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, src, bo);
            FloatVector b1 = FloatVector.fromArray(S, src, bo + V);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
        }
        c00.intoArray(y, yo);
        c01.intoArray(y, yo + V);
        c10.intoArray(y, yo + ldy);
        c11.intoArray(y, yo + ldy + V);
        c20.intoArray(y, yo + 2 * ldy);
        c21.intoArray(y, yo + 2 * ldy + V);
        c30.intoArray(y, yo + 3 * ldy);
        c31.intoArray(y, yo + 3 * ldy + V);
    }

    /** See {@link ImplicitGemm#multiplyRows}; mr (4, 5 or 8) is the packed panels' height. */
    static void multiplyRows(int mr, int m, int segments, int k, float[] ap, int aOff, float[] src, int base, int[] segStart, int[] rowOff,
                             float[] y, int yOff, int ldy, float[] bias, int bOff, boolean relu) {
        int panel = k * mr;
        for (int t = 0; t < segments; t += 2) {
            int s0 = base + segStart[t], s1 = base + segStart[t + 1];
            for (int i = 0, ao = aOff; i < m; i += mr, ao += panel) {
                int yo = yOff + i * ldy + t * V, valid = Math.min(mr, m - i);
                if (valid <= 4) {
                    rows4(mr, k, ap, ao, src, s0, s1, rowOff, y, yo, ldy, valid, bias, bOff + i, relu);
                } else if (mr == 5) {
                    rows5(k, ap, ao, src, s0, s1, rowOff, y, yo, ldy, valid, bias, bOff + i, relu);
                } else {
                    rows8(k, ap, ao, src, s0, s1, rowOff, y, yo, ldy, valid, bias, bOff + i, relu);
                }
            }
        }
    }

    /**
     * Rows i..i+7 of the panel at ao (8 rows apart per p), the two V-wide segments whose runs
     * start at s0 and s1 (plus rowOff[p]); y = act(acc + bias) for the first {@code valid} rows, 2V floats at yo.
     */
    private static void rows8(int k, float[] ap, int ao, float[] src, int s0, int s1, int[] rowOff,
                              float[] y, int yo, int ldy, int valid, float[] bias, int bOff, boolean relu) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int ai = ao + p * 8;
            int o = rowOff[p];
            FloatVector b0 = FloatVector.fromArray(S, src, s0 + o);
            FloatVector b1 = FloatVector.fromArray(S, src, s1 + o);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, ap[ai + 6]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, ap[ai + 7]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
        }
        // straight-line stores (a helper taking the vectors would box them when not inlined)
        {
            FloatVector bv = FloatVector.broadcast(S, bias == null ? 0f : bias[bOff + 0]);
            FloatVector v0 = c00.add(bv), v1 = c01.add(bv);
            if (relu) {
                v0 = v0.max(ZERO);
                v1 = v1.max(ZERO);
            }
            v0.intoArray(y, yo + 0 * ldy);
            v1.intoArray(y, yo + 0 * ldy + V);
        }
        if (valid > 1) {
            FloatVector bv = FloatVector.broadcast(S, bias == null ? 0f : bias[bOff + 1]);
            FloatVector v0 = c10.add(bv), v1 = c11.add(bv);
            if (relu) {
                v0 = v0.max(ZERO);
                v1 = v1.max(ZERO);
            }
            v0.intoArray(y, yo + 1 * ldy);
            v1.intoArray(y, yo + 1 * ldy + V);
        }
        if (valid > 2) {
            FloatVector bv = FloatVector.broadcast(S, bias == null ? 0f : bias[bOff + 2]);
            FloatVector v0 = c20.add(bv), v1 = c21.add(bv);
            if (relu) {
                v0 = v0.max(ZERO);
                v1 = v1.max(ZERO);
            }
            v0.intoArray(y, yo + 2 * ldy);
            v1.intoArray(y, yo + 2 * ldy + V);
        }
        if (valid > 3) {
            FloatVector bv = FloatVector.broadcast(S, bias == null ? 0f : bias[bOff + 3]);
            FloatVector v0 = c30.add(bv), v1 = c31.add(bv);
            if (relu) {
                v0 = v0.max(ZERO);
                v1 = v1.max(ZERO);
            }
            v0.intoArray(y, yo + 3 * ldy);
            v1.intoArray(y, yo + 3 * ldy + V);
        }
        if (valid > 4) {
            FloatVector bv = FloatVector.broadcast(S, bias == null ? 0f : bias[bOff + 4]);
            FloatVector v0 = c40.add(bv), v1 = c41.add(bv);
            if (relu) {
                v0 = v0.max(ZERO);
                v1 = v1.max(ZERO);
            }
            v0.intoArray(y, yo + 4 * ldy);
            v1.intoArray(y, yo + 4 * ldy + V);
        }
        if (valid > 5) {
            FloatVector bv = FloatVector.broadcast(S, bias == null ? 0f : bias[bOff + 5]);
            FloatVector v0 = c50.add(bv), v1 = c51.add(bv);
            if (relu) {
                v0 = v0.max(ZERO);
                v1 = v1.max(ZERO);
            }
            v0.intoArray(y, yo + 5 * ldy);
            v1.intoArray(y, yo + 5 * ldy + V);
        }
        if (valid > 6) {
            FloatVector bv = FloatVector.broadcast(S, bias == null ? 0f : bias[bOff + 6]);
            FloatVector v0 = c60.add(bv), v1 = c61.add(bv);
            if (relu) {
                v0 = v0.max(ZERO);
                v1 = v1.max(ZERO);
            }
            v0.intoArray(y, yo + 6 * ldy);
            v1.intoArray(y, yo + 6 * ldy + V);
        }
        if (valid > 7) {
            FloatVector bv = FloatVector.broadcast(S, bias == null ? 0f : bias[bOff + 7]);
            FloatVector v0 = c70.add(bv), v1 = c71.add(bv);
            if (relu) {
                v0 = v0.max(ZERO);
                v1 = v1.max(ZERO);
            }
            v0.intoArray(y, yo + 7 * ldy);
            v1.intoArray(y, yo + 7 * ldy + V);
        }
    }

    /**
     * Rows i..i+4 of the panel at ao (5 rows apart per p), the two V-wide segments whose runs
     * start at s0 and s1 (plus rowOff[p]); y = act(acc + bias) for the first {@code valid} rows, 2V floats at yo.
     */
    private static void rows5(int k, float[] ap, int ao, float[] src, int s0, int s1, int[] rowOff,
                              float[] y, int yo, int ldy, int valid, float[] bias, int bOff, boolean relu) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int ai = ao + p * 5;
            int o = rowOff[p];
            FloatVector b0 = FloatVector.fromArray(S, src, s0 + o);
            FloatVector b1 = FloatVector.fromArray(S, src, s1 + o);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
        }
        // straight-line stores (a helper taking the vectors would box them when not inlined)
        {
            FloatVector bv = FloatVector.broadcast(S, bias == null ? 0f : bias[bOff + 0]);
            FloatVector v0 = c00.add(bv), v1 = c01.add(bv);
            if (relu) {
                v0 = v0.max(ZERO);
                v1 = v1.max(ZERO);
            }
            v0.intoArray(y, yo + 0 * ldy);
            v1.intoArray(y, yo + 0 * ldy + V);
        }
        if (valid > 1) {
            FloatVector bv = FloatVector.broadcast(S, bias == null ? 0f : bias[bOff + 1]);
            FloatVector v0 = c10.add(bv), v1 = c11.add(bv);
            if (relu) {
                v0 = v0.max(ZERO);
                v1 = v1.max(ZERO);
            }
            v0.intoArray(y, yo + 1 * ldy);
            v1.intoArray(y, yo + 1 * ldy + V);
        }
        if (valid > 2) {
            FloatVector bv = FloatVector.broadcast(S, bias == null ? 0f : bias[bOff + 2]);
            FloatVector v0 = c20.add(bv), v1 = c21.add(bv);
            if (relu) {
                v0 = v0.max(ZERO);
                v1 = v1.max(ZERO);
            }
            v0.intoArray(y, yo + 2 * ldy);
            v1.intoArray(y, yo + 2 * ldy + V);
        }
        if (valid > 3) {
            FloatVector bv = FloatVector.broadcast(S, bias == null ? 0f : bias[bOff + 3]);
            FloatVector v0 = c30.add(bv), v1 = c31.add(bv);
            if (relu) {
                v0 = v0.max(ZERO);
                v1 = v1.max(ZERO);
            }
            v0.intoArray(y, yo + 3 * ldy);
            v1.intoArray(y, yo + 3 * ldy + V);
        }
        if (valid > 4) {
            FloatVector bv = FloatVector.broadcast(S, bias == null ? 0f : bias[bOff + 4]);
            FloatVector v0 = c40.add(bv), v1 = c41.add(bv);
            if (relu) {
                v0 = v0.max(ZERO);
                v1 = v1.max(ZERO);
            }
            v0.intoArray(y, yo + 4 * ldy);
            v1.intoArray(y, yo + 4 * ldy + V);
        }
    }

    /**
     * Rows i..i+3 of the panel at ao (mr rows apart per p), the two V-wide segments whose runs
     * start at s0 and s1 (plus rowOff[p]); y = act(acc + bias) for the first {@code valid} rows, 2V floats at yo.
     */
    private static void rows4(int mr, int k, float[] ap, int ao, float[] src, int s0, int s1, int[] rowOff,
                              float[] y, int yo, int ldy, int valid, float[] bias, int bOff, boolean relu) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int ai = ao + p * mr;
            int o = rowOff[p];
            FloatVector b0 = FloatVector.fromArray(S, src, s0 + o);
            FloatVector b1 = FloatVector.fromArray(S, src, s1 + o);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
        }
        // straight-line stores (a helper taking the vectors would box them when not inlined)
        {
            FloatVector bv = FloatVector.broadcast(S, bias == null ? 0f : bias[bOff + 0]);
            FloatVector v0 = c00.add(bv), v1 = c01.add(bv);
            if (relu) {
                v0 = v0.max(ZERO);
                v1 = v1.max(ZERO);
            }
            v0.intoArray(y, yo + 0 * ldy);
            v1.intoArray(y, yo + 0 * ldy + V);
        }
        if (valid > 1) {
            FloatVector bv = FloatVector.broadcast(S, bias == null ? 0f : bias[bOff + 1]);
            FloatVector v0 = c10.add(bv), v1 = c11.add(bv);
            if (relu) {
                v0 = v0.max(ZERO);
                v1 = v1.max(ZERO);
            }
            v0.intoArray(y, yo + 1 * ldy);
            v1.intoArray(y, yo + 1 * ldy + V);
        }
        if (valid > 2) {
            FloatVector bv = FloatVector.broadcast(S, bias == null ? 0f : bias[bOff + 2]);
            FloatVector v0 = c20.add(bv), v1 = c21.add(bv);
            if (relu) {
                v0 = v0.max(ZERO);
                v1 = v1.max(ZERO);
            }
            v0.intoArray(y, yo + 2 * ldy);
            v1.intoArray(y, yo + 2 * ldy + V);
        }
        if (valid > 3) {
            FloatVector bv = FloatVector.broadcast(S, bias == null ? 0f : bias[bOff + 3]);
            FloatVector v0 = c30.add(bv), v1 = c31.add(bv);
            if (relu) {
                v0 = v0.max(ZERO);
                v1 = v1.max(ZERO);
            }
            v0.intoArray(y, yo + 3 * ldy);
            v1.intoArray(y, yo + 3 * ldy + V);
        }
    }

    /** Taps a one-vector-wide filter-gradient tile takes: 16 accumulators, as the 8 x 2V tile. */
    static final int NARROW_ROWS = 16;

    /**
     * See {@link ImplicitGemm#filterGradient}; mr (4, 5 or 8) is how many taps share a 2V-wide
     * tile. An odd last vector of filters (K = 16 with 512-bit vectors: ResNet's first stage) takes
     * tiles of {@link #NARROW_ROWS} taps x V: one vector load and 16 broadcasts per 16 FMAs, where
     * 2V-wide tiles would need K padded to 2V and compute twice the products.
     */
    static void filterGradient(int mr, int q, int kk, int pixels, float[] src, int base, int[] rowOff, float[] gt, int gtOff,
                               float[] dwT, int dOff) {
        int wide = kk - kk % (2 * V);
        if (wide < kk) {
            for (int j = 0; j < q; j += NARROW_ROWS) {
                gradNarrow(pixels, src, base, rowOff, j, gt, gtOff + wide, kk, dwT, dOff + j * kk + wide, Math.min(NARROW_ROWS, q - j));
            }
        }
        for (int col = 0; col < wide; col += 2 * V) {
            for (int j = 0; j < q; j += mr) {
                int valid = Math.min(mr, q - j), o = dOff + j * kk + col;
                if (valid <= 4) {
                    grad4(pixels, src, base, rowOff, j, gt, gtOff + col, kk, dwT, o, valid);
                } else if (mr == 5) {
                    grad5(pixels, src, base, rowOff, j, gt, gtOff + col, kk, dwT, o, valid);
                } else {
                    grad8(pixels, src, base, rowOff, j, gt, gtOff + col, kk, dwT, o, valid);
                }
            }
        }
    }

    /**
     * dwT rows j..j+15 (the first {@code valid}), columns col..col+V-1: see {@link #filterGradient}.
     * The accumulators start from {@code FloatVector.zero(S)}, not the shared ZERO: with a static
     * field in their loop phis C2 lost the vectors' exact class, called fma virtually and ran the
     * Vector API's Java fallback (3 GFLOP/s, and W4 at 260 images/s).
     */
    private static void gradNarrow(int pixels, float[] src, int base, int[] rowOff, int j, float[] gt, int gtOff, int ldg,
                                   float[] dwT, int dOff, int valid) {
        int a0 = base + rowOff[j];
        int a1 = base + rowOff[j + Math.min(1, valid - 1)];
        int a2 = base + rowOff[j + Math.min(2, valid - 1)];
        int a3 = base + rowOff[j + Math.min(3, valid - 1)];
        int a4 = base + rowOff[j + Math.min(4, valid - 1)];
        int a5 = base + rowOff[j + Math.min(5, valid - 1)];
        int a6 = base + rowOff[j + Math.min(6, valid - 1)];
        int a7 = base + rowOff[j + Math.min(7, valid - 1)];
        int a8 = base + rowOff[j + Math.min(8, valid - 1)];
        int a9 = base + rowOff[j + Math.min(9, valid - 1)];
        int a10 = base + rowOff[j + Math.min(10, valid - 1)];
        int a11 = base + rowOff[j + Math.min(11, valid - 1)];
        int a12 = base + rowOff[j + Math.min(12, valid - 1)];
        int a13 = base + rowOff[j + Math.min(13, valid - 1)];
        int a14 = base + rowOff[j + Math.min(14, valid - 1)];
        int a15 = base + rowOff[j + Math.min(15, valid - 1)];
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S), c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
        FloatVector c8 = FloatVector.zero(S), c9 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c12 = FloatVector.zero(S), c13 = FloatVector.zero(S), c14 = FloatVector.zero(S), c15 = FloatVector.zero(S);
        for (int p = 0, go = gtOff; p < pixels; p++, go += ldg) {
            FloatVector b = FloatVector.fromArray(S, gt, go);
            c0 = FloatVector.broadcast(S, src[a0 + p]).fma(b, c0);
            c1 = FloatVector.broadcast(S, src[a1 + p]).fma(b, c1);
            c2 = FloatVector.broadcast(S, src[a2 + p]).fma(b, c2);
            c3 = FloatVector.broadcast(S, src[a3 + p]).fma(b, c3);
            c4 = FloatVector.broadcast(S, src[a4 + p]).fma(b, c4);
            c5 = FloatVector.broadcast(S, src[a5 + p]).fma(b, c5);
            c6 = FloatVector.broadcast(S, src[a6 + p]).fma(b, c6);
            c7 = FloatVector.broadcast(S, src[a7 + p]).fma(b, c7);
            c8 = FloatVector.broadcast(S, src[a8 + p]).fma(b, c8);
            c9 = FloatVector.broadcast(S, src[a9 + p]).fma(b, c9);
            c10 = FloatVector.broadcast(S, src[a10 + p]).fma(b, c10);
            c11 = FloatVector.broadcast(S, src[a11 + p]).fma(b, c11);
            c12 = FloatVector.broadcast(S, src[a12 + p]).fma(b, c12);
            c13 = FloatVector.broadcast(S, src[a13 + p]).fma(b, c13);
            c14 = FloatVector.broadcast(S, src[a14 + p]).fma(b, c14);
            c15 = FloatVector.broadcast(S, src[a15 + p]).fma(b, c15);
        }
        c0.add(FloatVector.fromArray(S, dwT, dOff)).intoArray(dwT, dOff);
        if (valid > 1) c1.add(FloatVector.fromArray(S, dwT, dOff + 1 * ldg)).intoArray(dwT, dOff + 1 * ldg);
        if (valid > 2) c2.add(FloatVector.fromArray(S, dwT, dOff + 2 * ldg)).intoArray(dwT, dOff + 2 * ldg);
        if (valid > 3) c3.add(FloatVector.fromArray(S, dwT, dOff + 3 * ldg)).intoArray(dwT, dOff + 3 * ldg);
        if (valid > 4) c4.add(FloatVector.fromArray(S, dwT, dOff + 4 * ldg)).intoArray(dwT, dOff + 4 * ldg);
        if (valid > 5) c5.add(FloatVector.fromArray(S, dwT, dOff + 5 * ldg)).intoArray(dwT, dOff + 5 * ldg);
        if (valid > 6) c6.add(FloatVector.fromArray(S, dwT, dOff + 6 * ldg)).intoArray(dwT, dOff + 6 * ldg);
        if (valid > 7) c7.add(FloatVector.fromArray(S, dwT, dOff + 7 * ldg)).intoArray(dwT, dOff + 7 * ldg);
        if (valid > 8) c8.add(FloatVector.fromArray(S, dwT, dOff + 8 * ldg)).intoArray(dwT, dOff + 8 * ldg);
        if (valid > 9) c9.add(FloatVector.fromArray(S, dwT, dOff + 9 * ldg)).intoArray(dwT, dOff + 9 * ldg);
        if (valid > 10) c10.add(FloatVector.fromArray(S, dwT, dOff + 10 * ldg)).intoArray(dwT, dOff + 10 * ldg);
        if (valid > 11) c11.add(FloatVector.fromArray(S, dwT, dOff + 11 * ldg)).intoArray(dwT, dOff + 11 * ldg);
        if (valid > 12) c12.add(FloatVector.fromArray(S, dwT, dOff + 12 * ldg)).intoArray(dwT, dOff + 12 * ldg);
        if (valid > 13) c13.add(FloatVector.fromArray(S, dwT, dOff + 13 * ldg)).intoArray(dwT, dOff + 13 * ldg);
        if (valid > 14) c14.add(FloatVector.fromArray(S, dwT, dOff + 14 * ldg)).intoArray(dwT, dOff + 14 * ldg);
        if (valid > 15) c15.add(FloatVector.fromArray(S, dwT, dOff + 15 * ldg)).intoArray(dwT, dOff + 15 * ldg);
    }

    /** dwT rows j..j+7 (the first {@code valid}), columns col..col+2V-1: see {@link #filterGradient}. */
    private static void grad8(int pixels, float[] src, int base, int[] rowOff, int j, float[] gt, int gtOff, int ldg,
                              float[] dwT, int dOff, int valid) {
        int a0 = base + rowOff[j];
        int a1 = base + rowOff[j + Math.min(1, valid - 1)];
        int a2 = base + rowOff[j + Math.min(2, valid - 1)];
        int a3 = base + rowOff[j + Math.min(3, valid - 1)];
        int a4 = base + rowOff[j + Math.min(4, valid - 1)];
        int a5 = base + rowOff[j + Math.min(5, valid - 1)];
        int a6 = base + rowOff[j + Math.min(6, valid - 1)];
        int a7 = base + rowOff[j + Math.min(7, valid - 1)];
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int p = 0, go = gtOff; p < pixels; p++, go += ldg) {
            FloatVector b0 = FloatVector.fromArray(S, gt, go);
            FloatVector b1 = FloatVector.fromArray(S, gt, go + V);
            FloatVector a = FloatVector.broadcast(S, src[a0 + p]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, src[a1 + p]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, src[a2 + p]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, src[a3 + p]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, src[a4 + p]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, src[a5 + p]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, src[a6 + p]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, src[a7 + p]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
        }
        {
            int o = dOff;
            c00.add(FloatVector.fromArray(S, dwT, o)).intoArray(dwT, o);
            c01.add(FloatVector.fromArray(S, dwT, o + V)).intoArray(dwT, o + V);
        }
        if (valid > 1) {
            int o = dOff + 1 * ldg;
            c10.add(FloatVector.fromArray(S, dwT, o)).intoArray(dwT, o);
            c11.add(FloatVector.fromArray(S, dwT, o + V)).intoArray(dwT, o + V);
        }
        if (valid > 2) {
            int o = dOff + 2 * ldg;
            c20.add(FloatVector.fromArray(S, dwT, o)).intoArray(dwT, o);
            c21.add(FloatVector.fromArray(S, dwT, o + V)).intoArray(dwT, o + V);
        }
        if (valid > 3) {
            int o = dOff + 3 * ldg;
            c30.add(FloatVector.fromArray(S, dwT, o)).intoArray(dwT, o);
            c31.add(FloatVector.fromArray(S, dwT, o + V)).intoArray(dwT, o + V);
        }
        if (valid > 4) {
            int o = dOff + 4 * ldg;
            c40.add(FloatVector.fromArray(S, dwT, o)).intoArray(dwT, o);
            c41.add(FloatVector.fromArray(S, dwT, o + V)).intoArray(dwT, o + V);
        }
        if (valid > 5) {
            int o = dOff + 5 * ldg;
            c50.add(FloatVector.fromArray(S, dwT, o)).intoArray(dwT, o);
            c51.add(FloatVector.fromArray(S, dwT, o + V)).intoArray(dwT, o + V);
        }
        if (valid > 6) {
            int o = dOff + 6 * ldg;
            c60.add(FloatVector.fromArray(S, dwT, o)).intoArray(dwT, o);
            c61.add(FloatVector.fromArray(S, dwT, o + V)).intoArray(dwT, o + V);
        }
        if (valid > 7) {
            int o = dOff + 7 * ldg;
            c70.add(FloatVector.fromArray(S, dwT, o)).intoArray(dwT, o);
            c71.add(FloatVector.fromArray(S, dwT, o + V)).intoArray(dwT, o + V);
        }
    }

    /** dwT rows j..j+4 (the first {@code valid}), columns col..col+2V-1: see {@link #filterGradient}. */
    private static void grad5(int pixels, float[] src, int base, int[] rowOff, int j, float[] gt, int gtOff, int ldg,
                              float[] dwT, int dOff, int valid) {
        int a0 = base + rowOff[j];
        int a1 = base + rowOff[j + Math.min(1, valid - 1)];
        int a2 = base + rowOff[j + Math.min(2, valid - 1)];
        int a3 = base + rowOff[j + Math.min(3, valid - 1)];
        int a4 = base + rowOff[j + Math.min(4, valid - 1)];
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        for (int p = 0, go = gtOff; p < pixels; p++, go += ldg) {
            FloatVector b0 = FloatVector.fromArray(S, gt, go);
            FloatVector b1 = FloatVector.fromArray(S, gt, go + V);
            FloatVector a = FloatVector.broadcast(S, src[a0 + p]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, src[a1 + p]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, src[a2 + p]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, src[a3 + p]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, src[a4 + p]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
        }
        {
            int o = dOff;
            c00.add(FloatVector.fromArray(S, dwT, o)).intoArray(dwT, o);
            c01.add(FloatVector.fromArray(S, dwT, o + V)).intoArray(dwT, o + V);
        }
        if (valid > 1) {
            int o = dOff + 1 * ldg;
            c10.add(FloatVector.fromArray(S, dwT, o)).intoArray(dwT, o);
            c11.add(FloatVector.fromArray(S, dwT, o + V)).intoArray(dwT, o + V);
        }
        if (valid > 2) {
            int o = dOff + 2 * ldg;
            c20.add(FloatVector.fromArray(S, dwT, o)).intoArray(dwT, o);
            c21.add(FloatVector.fromArray(S, dwT, o + V)).intoArray(dwT, o + V);
        }
        if (valid > 3) {
            int o = dOff + 3 * ldg;
            c30.add(FloatVector.fromArray(S, dwT, o)).intoArray(dwT, o);
            c31.add(FloatVector.fromArray(S, dwT, o + V)).intoArray(dwT, o + V);
        }
        if (valid > 4) {
            int o = dOff + 4 * ldg;
            c40.add(FloatVector.fromArray(S, dwT, o)).intoArray(dwT, o);
            c41.add(FloatVector.fromArray(S, dwT, o + V)).intoArray(dwT, o + V);
        }
    }

    /** dwT rows j..j+3 (the first {@code valid}), columns col..col+2V-1: see {@link #filterGradient}. */
    private static void grad4(int pixels, float[] src, int base, int[] rowOff, int j, float[] gt, int gtOff, int ldg,
                              float[] dwT, int dOff, int valid) {
        int a0 = base + rowOff[j];
        int a1 = base + rowOff[j + Math.min(1, valid - 1)];
        int a2 = base + rowOff[j + Math.min(2, valid - 1)];
        int a3 = base + rowOff[j + Math.min(3, valid - 1)];
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0, go = gtOff; p < pixels; p++, go += ldg) {
            FloatVector b0 = FloatVector.fromArray(S, gt, go);
            FloatVector b1 = FloatVector.fromArray(S, gt, go + V);
            FloatVector a = FloatVector.broadcast(S, src[a0 + p]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, src[a1 + p]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, src[a2 + p]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, src[a3 + p]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
        }
        {
            int o = dOff;
            c00.add(FloatVector.fromArray(S, dwT, o)).intoArray(dwT, o);
            c01.add(FloatVector.fromArray(S, dwT, o + V)).intoArray(dwT, o + V);
        }
        if (valid > 1) {
            int o = dOff + 1 * ldg;
            c10.add(FloatVector.fromArray(S, dwT, o)).intoArray(dwT, o);
            c11.add(FloatVector.fromArray(S, dwT, o + V)).intoArray(dwT, o + V);
        }
        if (valid > 2) {
            int o = dOff + 2 * ldg;
            c20.add(FloatVector.fromArray(S, dwT, o)).intoArray(dwT, o);
            c21.add(FloatVector.fromArray(S, dwT, o + V)).intoArray(dwT, o + V);
        }
        if (valid > 3) {
            int o = dOff + 3 * ldg;
            c30.add(FloatVector.fromArray(S, dwT, o)).intoArray(dwT, o);
            c31.add(FloatVector.fromArray(S, dwT, o + V)).intoArray(dwT, o + V);
        }
    }
}
