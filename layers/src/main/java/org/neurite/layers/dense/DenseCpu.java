package org.neurite.layers.dense;

import org.neurite.runtime.Blas;
import org.neurite.runtime.Kernels;
import org.neurite.runtime.Tensor;

/**
 * The CPU engine of {@link DenseOp}: one {@link Blas#sgemm} per product (the GEMM spreads itself
 * over the cores), plus a bias broadcast and a column sum, and a fused ReLU's two loops.
 * Stateless, so one instance serves all.
 */
final class DenseCpu implements DenseOp {
    static final DenseCpu INSTANCE = new DenseCpu();

    private DenseCpu() { }

    @Override public void forward(Tensor x, Tensor w, Tensor b, Tensor y) {
        int n = x.shape().dim(0);
        int in = x.shape().dim(1);
        int out = w.shape().dim(0);
        float[] yd = y.data(); // [N, out]
        float beta = 0f;
        if (b != null) {
            // Start Y from the bias rows, then let the GEMM add X * W^T on top (beta = 1).
            float[] bd = b.data();
            for (int i = 0; i < n; i++) System.arraycopy(bd, 0, yd, i * out, out);
            beta = 1f;
        }
        Blas.sgemm(false, true, n, out, in, 1f, x.data(), 0, in, w.data(), 0, in, beta, yd, 0, out);
    }

    @Override public void backwardData(Tensor dY, Tensor w, Tensor dX) {
        int n = dY.shape().dim(0);
        int out = w.shape().dim(0);
        int in = w.shape().dim(1);
        // dX[N, in] = dY[N, out] * W[out, in]
        Blas.sgemm(false, false, n, in, out, 1f, dY.data(), 0, out, w.data(), 0, in, 0f, dX.data(), 0, in);
    }

    @Override public void backwardWeights(Tensor dY, Tensor x, Tensor dW) {
        int n = dY.shape().dim(0);
        int out = dW.shape().dim(0);
        int in = dW.shape().dim(1);
        // dW[out, in] += dY^T[out, N] * X[N, in]
        Blas.sgemm(true, false, out, in, n, 1f, dY.data(), 0, out, x.data(), 0, in, 1f, dW.data(), 0, in);
    }

    @Override public boolean fusesRelu() { return true; }

    @Override public void relu(Tensor y) {
        float[] d = y.data();
        for (int i = 0; i < d.length; i++) d[i] = Math.max(d[i], 0f);
    }

    @Override public void reluGradient(Tensor y, Tensor dY, Tensor g) {
        Kernels.reluBackward(y.size(), y.data(), 0, dY.data(), 0, g.data(), 0);
    }

    @Override public void backwardBias(Tensor dY, Tensor db) {
        int out = db.size();
        int n = dY.size() / out;
        float[] g = dY.data(); // [N, out]
        float[] d = db.data(); // [out]
        // Row by row, so the inner loop runs over contiguous memory.
        for (int i = 0; i < n; i++) {
            int row = i * out;
            for (int j = 0; j < out; j++) d[j] += g[row + j];
        }
    }
}
