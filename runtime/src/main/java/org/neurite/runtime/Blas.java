package org.neurite.runtime;

/**
 * Single-precision GEMM on row-major arrays: C = alpha * op(A) * op(B) + beta * C, where op(X) is X
 * or its transpose. op(A) is m x k, op(B) is k x n, C is m x n; lda, ldb, ldc are the row strides
 * of A, B and C as stored. Called from inside a {@link Parallel} region it runs on one thread.
 */
public final class Blas {
    private Blas() { }

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float alpha, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        // Placeholder reference loop; replaced by the packed, blocked, multi-threaded kernel.
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += av * bv;
                }
                int ci = cOff + i * ldc + j;
                c[ci] = alpha * s + (beta == 0 ? 0 : beta * c[ci]);
            }
        }
    }
}
