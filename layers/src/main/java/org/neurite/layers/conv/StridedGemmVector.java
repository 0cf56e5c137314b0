package org.neurite.layers.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ImplicitGemmVector#multiply}'s tiles for a B whose rows are evenly spaced (row p at
 * {@code base + p*ldb}): {@link Winograd}'s 16 products. The same multiply-add chains, but the
 * addresses are affine in p, so C2 hoists the range checks out of the loop that it keeps for
 * ImplicitGemm's looked-up tap offsets: at k = 16 / 32 / 64 (m = k, n = 256 / 128 / 64, one
 * thread) 50 / 59 / 68 GFLOP/s became 55 / 66 / 79. Loaded only with the Vector API.
 */
final class StridedGemmVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();

    private StridedGemmVector() { }

    /** y [rows(m), columns(n)] at yOff, rows ldy apart = packed A (panels of mr rows) times B [k, n] at base, rows ldb apart. */
    static void multiply(int mr, int m, int n, int k, float[] ap, int aOff, float[] src, int base, int ldb, float[] y, int yOff, int ldy) {
        int panel = k * mr;
        for (int j = 0; j < n; j += 2 * V) {
            for (int i = 0, ao = aOff; i < m; i += mr, ao += panel) {
                int yo = yOff + i * ldy + j;
                if (mr == 4 || m - i <= 4) {
                    tile4(mr, k, ap, ao, src, base + j, ldb, y, yo, ldy);
                } else if (mr == 5) {
                    tile5(k, ap, ao, src, base + j, ldb, y, yo, ldy);
                } else {
                    tile8(k, ap, ao, src, base + j, ldb, y, yo, ldy);
                }
            }
        }
    }

    /** Rows i..i+7 (panel at ao, 8 rows apart per p), columns j..j+2V-1. */
    private static void tile8(int k, float[] ap, int ao, float[] src, int base, int ldb, float[] y, int yo, int ldy) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int bo = base + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, src, bo);
            FloatVector b1 = FloatVector.fromArray(S, src, bo + V);
            FloatVector a = FloatVector.broadcast(S, ap[ao]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ao + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ao + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[ao + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[ao + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, ap[ao + 6]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, ap[ao + 7]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
            ao += 8;
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
    private static void tile5(int k, float[] ap, int ao, float[] src, int base, int ldb, float[] y, int yo, int ldy) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int bo = base + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, src, bo);
            FloatVector b1 = FloatVector.fromArray(S, src, bo + V);
            FloatVector a = FloatVector.broadcast(S, ap[ao]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ao + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ao + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[ao + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            ao += 5;
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
    private static void tile4(int mr, int k, float[] ap, int ao, float[] src, int base, int ldb, float[] y, int yo, int ldy) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int bo = base + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, src, bo);
            FloatVector b1 = FloatVector.fromArray(S, src, bo + V);
            FloatVector a = FloatVector.broadcast(S, ap[ao]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ao + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ao + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            ao += mr;
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
}
