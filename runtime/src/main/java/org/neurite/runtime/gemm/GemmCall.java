package org.neurite.runtime.gemm;

/**
 * One sgemm call's arguments, kept in fields while the pool's threads run parts of it (a split's
 * bodies take only a range). Each split owns one and reuses it; {@link #clear} drops the caller's
 * arrays when the call returns, so that a reused split keeps none of them alive.
 */
final class GemmCall {
    boolean transA, transB;
    int m, n, k, aOff, lda, bOff, ldb, cOff, ldc;
    float alpha, beta;
    float[] a, b, c;

    void set(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
             float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        this.transA = transA;
        this.transB = transB;
        this.m = m;
        this.n = n;
        this.k = k;
        this.alpha = alpha;
        this.a = a;
        this.aOff = aOff;
        this.lda = lda;
        this.b = b;
        this.bOff = bOff;
        this.ldb = ldb;
        this.beta = beta;
        this.c = c;
        this.cOff = cOff;
        this.ldc = ldc;
    }

    void clear() {
        a = b = c = null;
    }
}
