package org.neurite.layers.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * G [kg, pixels] (rows ld apart) transposed into gt [pixels, kg]. Loaded only with the Vector API
 * ({@link LaneDots#AVAILABLE}). The scalar transpose took a fifth of a 32-filter 16x16 layer's
 * filter gradient (one strided store per float).
 *
 * <p>Where 256-bit vectors run natively and kg is a multiple of 8, blocks of 8 rows x 8 pixels
 * are transposed in registers: three rounds of interleaving row i with row i + 4 (the "perfect
 * shuffle", log2(8) rounds give the transpose), 8 loads, 24 two-vector shuffles and 8 stores per
 * block. That measured 1.5-2x faster than one gather per pixel (16 x 1088: 10-13 -> 6.6 us, Zen 3):
 * AVX2's gathers fetch one lane at a time. The other shapes, and the pixels past the last whole
 * block, gather the V filters of one pixel into one vector.
 */
final class TransposeVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int V = S.length();
    private static final VectorSpecies<Float> S8 = FloatVector.SPECIES_256;
    /** 8x8 blocks in registers: 256-bit vectors are native (AVX2, AVX-512), not emulated. */
    private static final boolean BLOCKS = S.vectorBitSize() >= 256;
    private static final VectorShuffle<Float> ZIP_LO = VectorShuffle.fromOp(S8, i -> i % 2 == 0 ? i / 2 : 8 + i / 2);
    private static final VectorShuffle<Float> ZIP_HI = VectorShuffle.fromOp(S8, i -> i % 2 == 0 ? 4 + i / 2 : 12 + i / 2);

    private TransposeVector() { }

    /** The gather offsets of rows 0..V-1: {@code l * ld}. */
    static int[] rowOffsets(int ld) {
        int[] idx = new int[V];
        for (int l = 0; l < V; l++) idx[l] = l * ld;
        return idx;
    }

    /** gt [pixels, kg] = gm's kg rows from gOff (rows ld apart, {@code idx = rowOffsets(ld)}) transposed; kg a multiple of V. */
    static void transpose(int kg, int pixels, float[] gm, int gOff, int ld, int[] idx, float[] gt) {
        transpose(kg, pixels, gm, gOff, ld, idx, gt, 0);
    }

    /** {@link #transpose} into gt from gtOff. */
    static void transpose(int kg, int pixels, float[] gm, int gOff, int ld, int[] idx, float[] gt, int gtOff) {
        int done = 0;
        if (BLOCKS && kg % 8 == 0) {
            done = pixels - pixels % 8;
            for (int k0 = 0; k0 < kg; k0 += 8) {
                for (int j = 0; j < done; j += 8) block(gm, gOff + k0 * ld + j, ld, gt, gtOff + j * kg + k0, kg);
            }
        }
        for (int k0 = 0; k0 < kg; k0 += V) {
            int from = gOff + k0 * ld;
            for (int j = done, to = gtOff + done * kg + k0; j < pixels; j++, to += kg) FloatVector.fromArray(S, gm, from + j, idx, 0).intoArray(gt, to);
        }
    }

    /** gt[to + p*kg + r] = gm[from + r*ld + p] for r, p < 8: three rounds of zipping rows i and i + 4. */
    private static void block(float[] gm, int from, int ld, float[] gt, int to, int kg) {
        FloatVector r0 = FloatVector.fromArray(S8, gm, from), r1 = FloatVector.fromArray(S8, gm, from + ld);
        FloatVector r2 = FloatVector.fromArray(S8, gm, from + 2 * ld), r3 = FloatVector.fromArray(S8, gm, from + 3 * ld);
        FloatVector r4 = FloatVector.fromArray(S8, gm, from + 4 * ld), r5 = FloatVector.fromArray(S8, gm, from + 5 * ld);
        FloatVector r6 = FloatVector.fromArray(S8, gm, from + 6 * ld), r7 = FloatVector.fromArray(S8, gm, from + 7 * ld);
        FloatVector a0 = r0.rearrange(ZIP_LO, r4), a1 = r0.rearrange(ZIP_HI, r4), a2 = r1.rearrange(ZIP_LO, r5), a3 = r1.rearrange(ZIP_HI, r5);
        FloatVector a4 = r2.rearrange(ZIP_LO, r6), a5 = r2.rearrange(ZIP_HI, r6), a6 = r3.rearrange(ZIP_LO, r7), a7 = r3.rearrange(ZIP_HI, r7);
        FloatVector b0 = a0.rearrange(ZIP_LO, a4), b1 = a0.rearrange(ZIP_HI, a4), b2 = a1.rearrange(ZIP_LO, a5), b3 = a1.rearrange(ZIP_HI, a5);
        FloatVector b4 = a2.rearrange(ZIP_LO, a6), b5 = a2.rearrange(ZIP_HI, a6), b6 = a3.rearrange(ZIP_LO, a7), b7 = a3.rearrange(ZIP_HI, a7);
        b0.rearrange(ZIP_LO, b4).intoArray(gt, to);
        b0.rearrange(ZIP_HI, b4).intoArray(gt, to + kg);
        b1.rearrange(ZIP_LO, b5).intoArray(gt, to + 2 * kg);
        b1.rearrange(ZIP_HI, b5).intoArray(gt, to + 3 * kg);
        b2.rearrange(ZIP_LO, b6).intoArray(gt, to + 4 * kg);
        b2.rearrange(ZIP_HI, b6).intoArray(gt, to + 5 * kg);
        b3.rearrange(ZIP_LO, b7).intoArray(gt, to + 6 * kg);
        b3.rearrange(ZIP_HI, b7).intoArray(gt, to + 7 * kg);
    }
}
