package org.neurite.runtime.gemm;

/** Argument checks and the trivial cases of SGEMM (k == 0 or alpha == 0). */
final class GemmArgs {
    private GemmArgs() { }

    static void check(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("sgemm: negative size m=" + m + " n=" + n + " k=" + k);
        }
        // stored shapes (rows x cols) of A and B in row-major order
        matrix("A", a, aOff, lda, transA ? k : m, transA ? m : k, m > 0 && n > 0 && k > 0);
        matrix("B", b, bOff, ldb, transB ? n : k, transB ? k : n, m > 0 && n > 0 && k > 0);
        matrix("C", c, cOff, ldc, m, n, m > 0 && n > 0);
    }

    private static void matrix(String what, float[] x, int off, int ld, int rows, int cols, boolean used) {
        if (!used || rows == 0 || cols == 0) return;
        if (ld < cols) {
            throw new IllegalArgumentException("sgemm: ld" + what.toLowerCase() + "=" + ld
                    + " is smaller than the " + cols + " columns of " + what);
        }
        long last = off + (long) (rows - 1) * ld + cols - 1;
        if (off < 0 || last >= x.length) {
            throw new IndexOutOfBoundsException("sgemm: " + what + " is " + rows + "x" + cols + " with ld "
                    + ld + " at offset " + off + ", needs index " + last + ", array length " + x.length);
        }
    }

    /** C = beta * C (beta == 0 writes zeros, ignoring NaN in C). */
    static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        if (beta == 1) return;
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            for (int j = 0; j < n; j++) c[row + j] = beta == 0 ? 0f : beta * c[row + j];
        }
    }
}
