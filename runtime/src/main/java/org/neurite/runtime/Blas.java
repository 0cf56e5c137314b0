package org.neurite.runtime;

import org.neurite.runtime.gemm.Gemm;

/**
 * Single-precision GEMM on row-major arrays: C = alpha * op(A) * op(B) + beta * C, where op(X) is X
 * or its transpose. op(A) is m x k, op(B) is k x n, C is m x n; lda, ldb, ldc are the row strides
 * of A, B and C as stored. Called from inside a {@link Parallel} region it runs on one thread.
 * <p>
 * The work is done by {@link Gemm#best()}: packed panels and a Vector API micro-kernel when the JVM
 * runs with {@code --add-modules jdk.incubator.vector}, a plain-Java kernel otherwise.
 */
public final class Blas {
    private static final Gemm ENGINE = Gemm.best();

    private Blas() { }

    /**
     * C = alpha * op(A) * op(B) + beta * C. With beta == 0, C is overwritten without being read (a
     * NaN in C does not propagate), as in BLAS. Elements of C outside the m x n block are not
     * touched. Same thread count, same bits.
     *
     * @param transA use A^T: A is stored k x m
     * @param transB use B^T: B is stored n x k
     * @param lda    row stride of A as stored (at least its column count)
     * @param ldb    row stride of B as stored
     * @param ldc    row stride of C (at least n)
     * @throws IllegalArgumentException  for negative sizes or too small leading dimensions
     * @throws IndexOutOfBoundsException when a matrix does not fit in its array
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float alpha, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        ENGINE.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** The engine {@link #sgemm} uses, e.g. "vector 6x32". */
    public static String engine() {
        return ENGINE.name();
    }
}
