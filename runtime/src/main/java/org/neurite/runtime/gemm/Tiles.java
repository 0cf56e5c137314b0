package org.neurite.runtime.gemm;

/** Scalar helpers shared by the kernels for writing results into C. */
final class Tiles {
    private Tiles() { }

    /** c = alpha * v + beta * c, with beta == 0 overwriting (a NaN already in C is ignored). */
    static float update(float v, float alpha, float beta, float old) {
        return beta == 0 ? alpha * v : alpha * v + beta * old;
    }

    /** Writes the first {@code cols} (1..4) of four dot products into one row of C. */
    static void storeDots(float[] c, int at, int cols, float alpha, float beta,
                          float s0, float s1, float s2, float s3) {
        c[at] = update(s0, alpha, beta, c[at]);
        if (cols > 1) c[at + 1] = update(s1, alpha, beta, c[at + 1]);
        if (cols > 2) c[at + 2] = update(s2, alpha, beta, c[at + 2]);
        if (cols > 3) c[at + 3] = update(s3, alpha, beta, c[at + 3]);
    }

    /** Copies the rows x cols corner of a scratch tile (row stride nr, already A*B) into C. */
    static void merge(float[] tile, int nr, int rows, int cols,
                      float[] c, int co, int ldc, float alpha, float beta) {
        for (int r = 0; r < rows; r++) {
            int t = r * nr;
            int at = co + r * ldc;
            for (int j = 0; j < cols; j++) {
                c[at + j] = update(tile[t + j], alpha, beta, c[at + j]);
            }
        }
    }
}
