package org.neurite.layers.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API body of {@link LaneDots}; loaded only when jdk.incubator.vector is present.
 * Twelve accumulators at most (CPU-NOTES: more make C2 box vectors on the heap), eight where the
 * machine has only 16 vector registers; the blocks have no masked tail of their own: with one, C2
 * boxed its vectors (1 GFLOP/s measured).
 */
final class LaneDotsVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int V = S.length();
    /** 4 x 3 blocks where vectors are 512 bits wide (AVX-512 has 32 registers), else 4 x 2. */
    private static final boolean WIDE_TILE = S.vectorBitSize() >= 512;

    private LaneDotsVector() { }

    static void accumulate(int m, int n, int kAll, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] lanes, int lOff) {
        accumulate(m, n, kAll, a, aOff, lda, b, bOff, ldb, null, lanes, lOff, WIDE_TILE);
    }

    /** As {@link #accumulate(int, int, int, float[], int, int, float[], int, int, float[], int)} with row j of b at {@code bOff + bRows[j]}. */
    static void accumulate(int m, int n, int kAll, float[] a, int aOff, int lda, float[] b, int bOff, int[] bRows, float[] lanes, int lOff) {
        accumulate(m, n, kAll, a, aOff, lda, b, bOff, 0, bRows, lanes, lOff, WIDE_TILE);
    }

    /**
     * Row j of b starts at {@code bOff + j * ldb}, or at {@code bOff + bRows[j]} when bRows is not
     * null; {@code wide}: 4 x 3 blocks rather than 4 x 2 (tests run both on any machine).
     */
    static void accumulate(int m, int n, int kAll, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int[] bRows,
                           float[] lanes, int lOff, boolean wide) {
        int k = kAll - kAll % V;   // whole vectors; the tail is added cell by cell, masked
        if (k < kAll) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) tail(i, j, n, k, kAll, a, aOff, lda, b, row(bOff, ldb, bRows, j), lanes, lOff);
            }
        }
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int j = 0;
            if (wide) {
                for (; j + 3 <= n; j += 3) tile4x3(i, j, n, k, a, aOff, lda, b, row(bOff, ldb, bRows, j), row(bOff, ldb, bRows, j + 1), row(bOff, ldb, bRows, j + 2), lanes, lOff);
            } else {
                for (; j + 2 <= n; j += 2) tile4x2(i, j, n, k, a, aOff, lda, b, row(bOff, ldb, bRows, j), row(bOff, ldb, bRows, j + 1), lanes, lOff);
            }
            for (; j < n; j++) {
                for (int r = i; r < i + 4; r++) cell(r, j, n, k, a, aOff, lda, b, row(bOff, ldb, bRows, j), lanes, lOff);
            }
        }
        for (; i < m; i++) {
            for (int j = 0; j < n; j++) cell(i, j, n, k, a, aOff, lda, b, row(bOff, ldb, bRows, j), lanes, lOff);
        }
    }

    /** Cells (i..i+3, j..j+2): 12 accumulators, for machines with 32 vector registers. */
    private static void tile4x3(int i, int j, int n, int k, float[] a, int aOff, int lda, float[] b, int b0, int b1, int b2,
                                float[] lanes, int lOff) {
        int a0 = aOff + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        int o0 = lOff + (i * n + j) * V, o1 = o0 + n * V, o2 = o1 + n * V, o3 = o2 + n * V;
        // The accumulators start from the lanes and go back to them: no add nodes after the loop
        // (with them, C2 hit its inlining node cutoff and boxed the last store's vector).
        FloatVector c00 = load(lanes, o0), c01 = load(lanes, o0 + V), c02 = load(lanes, o0 + 2 * V);
        FloatVector c10 = load(lanes, o1), c11 = load(lanes, o1 + V), c12 = load(lanes, o1 + 2 * V);
        FloatVector c20 = load(lanes, o2), c21 = load(lanes, o2 + V), c22 = load(lanes, o2 + 2 * V);
        FloatVector c30 = load(lanes, o3), c31 = load(lanes, o3 + V), c32 = load(lanes, o3 + 2 * V);
        for (int p = 0; p < k; p += V) {
            FloatVector x0 = load(a, a0 + p), x1 = load(a, a1 + p), x2 = load(a, a2 + p), x3 = load(a, a3 + p);
            FloatVector y = load(b, b0 + p);
            c00 = x0.fma(y, c00);
            c10 = x1.fma(y, c10);
            c20 = x2.fma(y, c20);
            c30 = x3.fma(y, c30);
            y = load(b, b1 + p);
            c01 = x0.fma(y, c01);
            c11 = x1.fma(y, c11);
            c21 = x2.fma(y, c21);
            c31 = x3.fma(y, c31);
            y = load(b, b2 + p);
            c02 = x0.fma(y, c02);
            c12 = x1.fma(y, c12);
            c22 = x2.fma(y, c22);
            c32 = x3.fma(y, c32);
        }
        c00.intoArray(lanes, o0);
        c01.intoArray(lanes, o0 + V);
        c02.intoArray(lanes, o0 + 2 * V);
        c10.intoArray(lanes, o1);
        c11.intoArray(lanes, o1 + V);
        c12.intoArray(lanes, o1 + 2 * V);
        c20.intoArray(lanes, o2);
        c21.intoArray(lanes, o2 + V);
        c22.intoArray(lanes, o2 + 2 * V);
        c30.intoArray(lanes, o3);
        c31.intoArray(lanes, o3 + V);
        c32.intoArray(lanes, o3 + 2 * V);
    }

    /**
     * Cells (i..i+3, j..j+1): 8 accumulators, 4 + 1 operands live, for machines with 16 vector
     * registers (AVX2), where the 4 x 3 block spills: 16 x 150, k = 408 ran at 47 GFLOP/s this way
     * against 26-43 with 4 x 3.
     */
    private static void tile4x2(int i, int j, int n, int k, float[] a, int aOff, int lda, float[] b, int b0, int b1,
                                float[] lanes, int lOff) {
        int a0 = aOff + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        int o0 = lOff + (i * n + j) * V, o1 = o0 + n * V, o2 = o1 + n * V, o3 = o2 + n * V;
        FloatVector c00 = load(lanes, o0), c01 = load(lanes, o0 + V);
        FloatVector c10 = load(lanes, o1), c11 = load(lanes, o1 + V);
        FloatVector c20 = load(lanes, o2), c21 = load(lanes, o2 + V);
        FloatVector c30 = load(lanes, o3), c31 = load(lanes, o3 + V);
        for (int p = 0; p < k; p += V) {
            FloatVector x0 = load(a, a0 + p), x1 = load(a, a1 + p), x2 = load(a, a2 + p), x3 = load(a, a3 + p);
            FloatVector y = load(b, b0 + p);
            c00 = x0.fma(y, c00);
            c10 = x1.fma(y, c10);
            c20 = x2.fma(y, c20);
            c30 = x3.fma(y, c30);
            y = load(b, b1 + p);
            c01 = x0.fma(y, c01);
            c11 = x1.fma(y, c11);
            c21 = x2.fma(y, c21);
            c31 = x3.fma(y, c31);
        }
        c00.intoArray(lanes, o0);
        c01.intoArray(lanes, o0 + V);
        c10.intoArray(lanes, o1);
        c11.intoArray(lanes, o1 + V);
        c20.intoArray(lanes, o2);
        c21.intoArray(lanes, o2 + V);
        c30.intoArray(lanes, o3);
        c31.intoArray(lanes, o3 + V);
    }

    /** Where row j of b starts. */
    private static int row(int bOff, int ldb, int[] bRows, int j) {
        return bRows == null ? bOff + j * ldb : bOff + bRows[j];
    }

    private static FloatVector load(float[] x, int off) {
        return FloatVector.fromArray(S, x, off);
    }

    /** One cell (i, j): the edges of the 4 x 3 blocking. */
    private static void cell(int i, int j, int n, int k, float[] a, int aOff, int lda, float[] b, int bo,
                             float[] lanes, int lOff) {
        int ao = aOff + i * lda;
        FloatVector c = FloatVector.zero(S);
        for (int p = 0; p < k; p += V) c = FloatVector.fromArray(S, a, ao + p).fma(FloatVector.fromArray(S, b, bo + p), c);
        add(c, lanes, lOff + (i * n + j) * V);
    }

    /** Columns [k, kAll) of cell (i, j), less than one vector. */
    private static void tail(int i, int j, int n, int k, int kAll, float[] a, int aOff, int lda, float[] b, int bo,
                             float[] lanes, int lOff) {
        VectorMask<Float> mk = S.indexInRange(k, kAll);
        FloatVector c = FloatVector.fromArray(S, a, aOff + i * lda + k, mk).mul(FloatVector.fromArray(S, b, bo + k, mk));
        add(c, lanes, lOff + (i * n + j) * V);
    }

    private static void add(FloatVector v, float[] lanes, int o) {
        v.add(FloatVector.fromArray(S, lanes, o)).intoArray(lanes, o);
    }
}
