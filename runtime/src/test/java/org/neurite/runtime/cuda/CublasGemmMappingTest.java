package org.neurite.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.neurite.runtime.Blas;
import org.neurite.runtime.Rng;
import org.neurite.runtime.TensorAsserts;

/**
 * The row-major to column-major mapping of cublasSgemm's arguments, checked without a device: the
 * mapped call is run by a column-major reference GEMM that reads its arguments exactly as cuBLAS
 * documents them, and must give what the row-major Blas.sgemm gives.
 */
class CublasGemmMappingTest {

    /** cuBLAS's definition: C = op(A) op(B), column-major, A m x k after op, B k x n after op. */
    private static void columnMajorGemm(CublasGemm.Call g, float[] a, float[] b, float[] c) {
        for (int j = 0; j < g.n(); j++) {
            for (int i = 0; i < g.m(); i++) {
                double s = 0;
                for (int p = 0; p < g.k(); p++) {
                    float x = g.transa() == CublasGemm.OP_N ? a[i + p * g.lda()] : a[p + i * g.lda()];
                    float y = g.transb() == CublasGemm.OP_N ? b[p + j * g.ldb()] : b[j + p * g.ldb()];
                    s += (double) x * y;
                }
                c[i + j * g.ldc()] = (float) s;
            }
        }
    }

    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4} pad={5}")
    @CsvSource({
            "false, false, 3, 5, 4, 0", "false, true, 3, 5, 4, 0", "true, false, 3, 5, 4, 0", "true, true, 3, 5, 4, 0",
            "false, false, 7, 2, 9, 3", "false, true, 1, 6, 3, 2", "true, false, 6, 1, 2, 1", "true, true, 4, 4, 1, 5"})
    void theMappedColumnMajorCallComputesTheRowMajorProduct(boolean transA, boolean transB, int m, int n, int k, int pad) {
        int lda = (transA ? m : k) + pad, ldb = (transB ? k : n) + pad, ldc = n + pad;
        float[] a = new float[(transA ? k : m) * lda], b = new float[(transB ? n : k) * ldb];
        Rng rng = new Rng(m * 100 + n * 10 + k);
        rng.normal(a, 0, a.length, 0f, 1f);
        rng.normal(b, 0, b.length, 0f, 1f);
        float[] expected = new float[m * ldc], actual = new float[m * ldc];
        Blas.sgemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, expected, 0, ldc);

        CublasGemm.Call g = CublasGemm.columnMajor(transA, transB, m, n, k, lda, ldb, ldc);
        columnMajorGemm(g, b, a, actual);     // cuBLAS gets row-major B as its A, row-major A as its B
        TensorAsserts.assertClose("C", expected, actual, 1e-5, 1e-5);
    }

    @Test void denseLayerCallsMapAsWorkedOutByHand() {
        // Y[N=8, out=3] = X[8, in=5] * W^T (W is [3, 5]): cuBLAS computes Y^T[3 x 8] = W[as 5x3 col-major]^T X^T.
        assertEquals(new CublasGemm.Call(CublasGemm.OP_T, CublasGemm.OP_N, 3, 8, 5, 5, 5, 3),
                CublasGemm.columnMajor(false, true, 8, 3, 5, 5, 5, 3));
        // dX[8, 5] = dY[8, 3] * W[3, 5]
        assertEquals(new CublasGemm.Call(CublasGemm.OP_N, CublasGemm.OP_N, 5, 8, 3, 5, 3, 5),
                CublasGemm.columnMajor(false, false, 8, 5, 3, 3, 5, 5));
        // dW[3, 5] += dY^T[3, 8] * X[8, 5]
        assertEquals(new CublasGemm.Call(CublasGemm.OP_N, CublasGemm.OP_T, 5, 3, 8, 5, 3, 5),
                CublasGemm.columnMajor(true, false, 3, 5, 8, 3, 5, 5));
    }

    @Test void rowStridesShorterThanARowAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CublasGemm.columnMajor(false, false, 4, 6, 5, 4, 6, 6));
        assertEquals("lda 4 is shorter than a stored row of 5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CublasGemm.columnMajor(false, true, 4, 6, 5, 5, 4, 6));
        assertThrows(IllegalArgumentException.class, () -> CublasGemm.columnMajor(false, false, 4, 6, 5, 5, 6, 5));
        assertThrows(IllegalArgumentException.class, () -> CublasGemm.columnMajor(false, false, -1, 6, 5, 5, 6, 6));
    }
}
