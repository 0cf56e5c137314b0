package org.neurite.layers.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API body of {@link LaneDots}; loaded only when jdk.incubator.vector is present.
 * Twelve accumulators at most (CPU-NOTES: more make C2 box vectors on the heap); the 4 x 3 tile
 * has no masked tail of its own: with one, C2 boxed its vectors (1 GFLOP/s measured).
 */
final class LaneDotsVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int V = S.length();

    private LaneDotsVector() { }

    static void accumulate(int m, int n, int kAll, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] lanes, int lOff) {
        int k = kAll - kAll % V;   // whole vectors; the tail is added cell by cell, masked
        if (k < kAll) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) tail(i, j, n, k, kAll, a, aOff, lda, b, bOff, ldb, lanes, lOff);
            }
        }
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int j = 0;
            for (; j + 3 <= n; j += 3) tile(i, j, n, k, a, aOff, lda, b, bOff, ldb, lanes, lOff);
            for (; j < n; j++) {
                for (int r = i; r < i + 4; r++) cell(r, j, n, k, a, aOff, lda, b, bOff, ldb, lanes, lOff);
            }
        }
        for (; i < m; i++) {
            for (int j = 0; j < n; j++) cell(i, j, n, k, a, aOff, lda, b, bOff, ldb, lanes, lOff);
        }
    }

    /** Cells (i..i+3, j..j+2). */
    private static void tile(int i, int j, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] lanes, int lOff) {
        int a0 = aOff + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        int b0 = bOff + j * ldb, b1 = b0 + ldb, b2 = b1 + ldb;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c30 = c00, c31 = c00, c32 = c00;
        for (int p = 0; p < k; p += V) {
            FloatVector x0 = FloatVector.fromArray(S, a, a0 + p), x1 = FloatVector.fromArray(S, a, a1 + p);
            FloatVector x2 = FloatVector.fromArray(S, a, a2 + p), x3 = FloatVector.fromArray(S, a, a3 + p);
            FloatVector y = FloatVector.fromArray(S, b, b0 + p);
            c00 = x0.fma(y, c00);
            c10 = x1.fma(y, c10);
            c20 = x2.fma(y, c20);
            c30 = x3.fma(y, c30);
            y = FloatVector.fromArray(S, b, b1 + p);
            c01 = x0.fma(y, c01);
            c11 = x1.fma(y, c11);
            c21 = x2.fma(y, c21);
            c31 = x3.fma(y, c31);
            y = FloatVector.fromArray(S, b, b2 + p);
            c02 = x0.fma(y, c02);
            c12 = x1.fma(y, c12);
            c22 = x2.fma(y, c22);
            c32 = x3.fma(y, c32);
        }
        int o = lOff + (i * n + j) * V, row = n * V;
        add(c00, lanes, o);
        add(c01, lanes, o + V);
        add(c02, lanes, o + 2 * V);
        add(c10, lanes, o + row);
        add(c11, lanes, o + row + V);
        add(c12, lanes, o + row + 2 * V);
        add(c20, lanes, o + 2 * row);
        add(c21, lanes, o + 2 * row + V);
        add(c22, lanes, o + 2 * row + 2 * V);
        add(c30, lanes, o + 3 * row);
        add(c31, lanes, o + 3 * row + V);
        add(c32, lanes, o + 3 * row + 2 * V);
    }

    /** One cell (i, j): the edges of the 4 x 3 blocking. */
    private static void cell(int i, int j, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] lanes, int lOff) {
        int ao = aOff + i * lda, bo = bOff + j * ldb;
        FloatVector c = FloatVector.zero(S);
        for (int p = 0; p < k; p += V) c = FloatVector.fromArray(S, a, ao + p).fma(FloatVector.fromArray(S, b, bo + p), c);
        add(c, lanes, lOff + (i * n + j) * V);
    }

    /** Columns [k, kAll) of cell (i, j), less than one vector. */
    private static void tail(int i, int j, int n, int k, int kAll, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] lanes, int lOff) {
        VectorMask<Float> mk = S.indexInRange(k, kAll);
        FloatVector c = FloatVector.fromArray(S, a, aOff + i * lda + k, mk).mul(FloatVector.fromArray(S, b, bOff + j * ldb + k, mk));
        add(c, lanes, lOff + (i * n + j) * V);
    }

    private static void add(FloatVector v, float[] lanes, int o) {
        v.add(FloatVector.fromArray(S, lanes, o)).intoArray(lanes, o);
    }
}
