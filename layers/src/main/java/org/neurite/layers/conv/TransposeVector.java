package org.neurite.layers.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * G [kg, pixels] (rows ld apart) transposed into gt [pixels, kg] with gathers: V filters of one
 * pixel are one gathered vector and one contiguous store. Loaded only with the Vector API
 * ({@link LaneDots#AVAILABLE}). The scalar transpose took a fifth of a 32-filter 16x16 layer's
 * filter gradient (one strided store per float).
 */
final class TransposeVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int V = S.length();

    private TransposeVector() { }

    /** The gather offsets of rows 0..V-1: {@code l * ld}. */
    static int[] rowOffsets(int ld) {
        int[] idx = new int[V];
        for (int l = 0; l < V; l++) idx[l] = l * ld;
        return idx;
    }

    /** gt [pixels, kg] = gm's kg rows from gOff (rows ld apart, {@code idx = rowOffsets(ld)}) transposed; kg a multiple of V. */
    static void transpose(int kg, int pixels, float[] gm, int gOff, int ld, int[] idx, float[] gt) {
        for (int k0 = 0; k0 < kg; k0 += V) {
            int from = gOff + k0 * ld;
            for (int j = 0, to = k0; j < pixels; j++, to += kg) FloatVector.fromArray(S, gm, from + j, idx, 0).intoArray(gt, to);
        }
    }
}
