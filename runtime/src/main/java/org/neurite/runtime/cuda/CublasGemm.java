package org.neurite.runtime.cuda;

import jcuda.Pointer;
import jcuda.jcublas.JCublas2;

/**
 * Row-major GEMM on cuBLAS, which is column-major. A row-major matrix with row stride ld is, read
 * column-major with the same ld, its transpose. So row-major C = op(A) op(B) (m x n) is column-major
 * C^T = op(B)^T op(A)^T (n x m): cuBLAS is called with the operands swapped, B first, and the sizes
 * m and n exchanged; the transpose flags and leading dimensions travel with their matrices.
 * {@link #columnMajor} is that mapping as a pure function; {@link #sgemm} makes the call.
 */
public final class CublasGemm {
    /** {@code CUBLAS_OP_N}. */
    public static final int OP_N = 0;
    /** {@code CUBLAS_OP_T}. */
    public static final int OP_T = 1;

    private static final Pointer ONE = Pointer.to(new float[] {1f});
    private static final Pointer ZERO = Pointer.to(new float[] {0f});

    private CublasGemm() { }

    /**
     * The arguments of one {@code cublasSgemm(handle, transa, transb, m, n, k, alpha, A, lda, B, ldb,
     * beta, C, ldc)} call, in cuBLAS's names. {@code A} is the row-major B, {@code B} the row-major A.
     */
    public record Call(int transa, int transb, int m, int n, int k, int lda, int ldb, int ldc) { }

    /**
     * The cuBLAS call computing row-major C[m x n] = op(A) op(B), with op(A) m x k and op(B) k x n,
     * from the row strides of A, B, C as stored (the arguments of {@code Blas.sgemm}).
     *
     * @throws IllegalArgumentException negative sizes or row strides shorter than a stored row
     */
    public static Call columnMajor(boolean transA, boolean transB, int m, int n, int k, int lda, int ldb, int ldc) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("negative GEMM size m=" + m + " n=" + n + " k=" + k);
        // A is stored m x k (k x m when transposed), B k x n (n x k); a row is at least 1 wide for cuBLAS.
        check("lda", lda, transA ? m : k);
        check("ldb", ldb, transB ? k : n);
        check("ldc", ldc, n);
        return new Call(transB ? OP_T : OP_N, transA ? OP_T : OP_N, n, m, k, ldb, lda, ldc);
    }

    private static void check(String name, int ld, int rowLength) {
        if (ld < Math.max(1, rowLength)) {
            throw new IllegalArgumentException(name + " " + ld + " is shorter than a stored row of " + rowLength);
        }
    }

    /**
     * Row-major C = alpha op(A) op(B) + beta C on {@code device}'s stream; A, B, C are device
     * pointers, the rest as in {@code Blas.sgemm}. With beta == 0, C is not read.
     */
    public static void sgemm(CudaDevice device, boolean transA, boolean transB, int m, int n, int k,
                             float alpha, Pointer a, int lda, Pointer b, int ldb, float beta, Pointer c, int ldc) {
        Call g = columnMajor(transA, transB, m, n, k, lda, ldb, ldc);
        if (m == 0 || n == 0) return;
        CudaCheck.cublas(JCublas2.cublasSgemm(device.cublas(), g.transa(), g.transb(), g.m(), g.n(), g.k(),
                scalar(alpha), b, g.lda(), a, g.ldb(), scalar(beta), c, g.ldc()), "cublasSgemm");
    }

    /** A host pointer to {@code v}; the common 1 and 0 without allocating. */
    static Pointer scalar(float v) {
        if (v == 1f) return ONE;
        if (Float.floatToRawIntBits(v) == 0) return ZERO;
        return Pointer.to(new float[] {v});
    }
}
