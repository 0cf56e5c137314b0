package org.neurite.layers.rnn;

import org.neurite.runtime.Parallel;

/**
 * A mostly-zero input matrix X [rows, I] (one-hot characters) kept as its nonzeros per row, so
 * the input projection A += X W^T and the weight gradient dW += dA^T X cost one row of W per
 * nonzero instead of a dense GEMM over all I columns (for one-hot input: I = 97 times less work).
 * Both run on a transposed copy of W, [I, G*H], whose rows are contiguous.
 */
final class SparseRows {
    /** At most one nonzero in this many elements, else the dense GEMM is as good. */
    private static final int MAX_DENSITY_INVERSE = 16;

    private int rows;
    private int cols;   // I
    private int width;  // G*H
    private int[] start;   // [rows + 1]
    private int[] col;     // nonzero columns
    private float[] val;   // nonzero values
    private float[] wT;    // [I, G*H]
    // The current projection, read by the parallel body.
    private float[] curA;
    private float[] curDw, curW, curBias;
    private int curOff;
    private final Parallel.RangeBody projectRows = this::projectRows;
    private final Parallel.RangeBody weightGradientColumns = this::weightGradientColumns;
    private final Parallel.RangeBody transposeColumns = this::transposeColumns;

    void plan(int rows, int cols, int width) {
        this.rows = rows;
        this.cols = cols;
        this.width = width;
        int capacity = rows * cols / MAX_DENSITY_INVERSE + rows;
        start = new int[rows + 1];
        col = new int[capacity];
        val = new float[capacity];
        wT = new float[cols * width];
    }

    /** Reads X [rows, cols]; false (and unusable) when it holds too many nonzeros. */
    boolean read(float[] x) {
        int nz = 0;
        for (int r = 0; r < rows; r++) {
            start[r] = nz;
            int off = r * cols;
            for (int k = 0; k < cols; k++) {
                float v = x[off + k];
                if (v != 0f) {
                    if (nz == col.length) return false;
                    col[nz] = k;
                    val[nz++] = v;
                }
            }
        }
        start[rows] = nz;
        return true;
    }

    /**
     * a [rows, G*H] = bias + X W^T, with W [G*H, I] at {@code wOff} of {@code w} and bias [G*H].
     * The transpose of W and the rows are split over the threads; the bias is copied into each
     * row by the thread that projects it (on the caller alone, 8 MiB of copies per W2 step).
     */
    void project(float[] w, int wOff, float[] bias, float[] a) {
        curW = w;
        curOff = wOff;
        curBias = bias;
        curA = a;
        try {
            Parallel.forRange(width, 64, transposeColumns);
            Parallel.forRange(rows, Math.max(1, 8192 / width), projectRows);
        } finally {
            curW = curBias = curA = null;
        }
    }

    /** wT [I, G*H] columns j0..j1 = rows j0..j1 of W. */
    private void transposeColumns(int j0, int j1) {
        float[] w = curW;
        for (int j = j0; j < j1; j++) {
            int src = curOff + j * cols;
            for (int k = 0; k < cols; k++) wT[k * width + j] = w[src + k];
        }
    }

    private void projectRows(int r0, int r1) {
        float[] a = curA;
        for (int r = r0; r < r1; r++) {
            int ab = r * width;
            System.arraycopy(curBias, 0, a, ab, width);
            for (int e = start[r]; e < start[r + 1]; e++) {
                float v = val[e];
                int wb = col[e] * width;
                for (int j = 0; j < width; j++) a[ab + j] += v * wT[wb + j];
            }
        }
    }

    /**
     * dW [G*H, I] at {@code off} of {@code dw} += dA^T X, with dA [rows, G*H]. The G*H columns are
     * split over the threads (each sums its columns over the rows in order, so the result does not
     * depend on the thread count); run on the caller alone it was 2.5% of a W2 step, the other core idle.
     */
    void accumulateWeightGradient(float[] dA, float[] dw, int off) {
        curA = dA;
        curDw = dw;
        curOff = off;
        try {
            Parallel.forRange(width, 64, weightGradientColumns);
        } finally {
            curA = curDw = null;
        }
    }

    private void weightGradientColumns(int j0, int j1) {
        float[] dA = curA, dw = curDw;
        for (int k = 0; k < cols; k++) java.util.Arrays.fill(wT, k * width + j0, k * width + j1, 0f);   // dW^T [I, G*H]
        for (int r = 0; r < rows; r++) {
            int ab = r * width;
            for (int e = start[r]; e < start[r + 1]; e++) {
                float v = val[e];
                int wb = col[e] * width;
                for (int j = j0; j < j1; j++) wT[wb + j] += v * dA[ab + j];
            }
        }
        for (int j = j0; j < j1; j++) {
            int dst = curOff + j * cols;
            for (int k = 0; k < cols; k++) dw[dst + k] += wT[k * width + j];
        }
    }
}
