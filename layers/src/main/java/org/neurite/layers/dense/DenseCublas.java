package org.neurite.layers.dense;

import jcuda.Pointer;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.cuda.CublasGemm;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.CudaKernels;
import org.neurite.runtime.cuda.CudaTensors;
import org.neurite.runtime.cuda.KernelCatalog;

/**
 * The cuBLAS engine of {@link DenseOp}: each product is one {@code cublasSgemm} on the device's
 * handle (row-major arguments mapped by {@link CublasGemm}); the bias is added by the
 * {@code bias_add_rows_f32} kernel and its gradient summed by {@code col_sum_add_f32} (one thread
 * per output column, rows in order: deterministic). Stateless apart from its device.
 *
 * <pre>{@code
 * DenseOp op = new DenseCublas((CudaDevice) x.device());
 * }</pre>
 */
public final class DenseCublas implements DenseOp {
    private final CudaDevice device;

    public DenseCublas(CudaDevice device) {
        this.device = device;
    }

    @Override public void forward(Tensor x, Tensor w, Tensor b, Tensor y) {
        int n = x.shape().dim(0);
        int in = x.shape().dim(1);
        int out = w.shape().dim(0);
        // y[N, out] = x[N, in] * W^T
        CublasGemm.sgemm(device, false, true, n, out, in, 1f, ptr(x, "x"), in, ptr(w, "w"), in, 0f, ptr(y, "y"), out);
        if (b != null && n * out > 0) {
            device.kernels().launch(KernelCatalog.ELEMENTWISE, "bias_add_rows_f32", (long) n * out, Pointer.to(
                    Pointer.to(new int[] {n}), Pointer.to(new int[] {out}), Pointer.to(ptr(y, "y")), Pointer.to(ptr(b, "b"))));
        }
    }

    @Override public void backwardData(Tensor dY, Tensor w, Tensor dX) {
        int n = dY.shape().dim(0);
        int out = w.shape().dim(0);
        int in = w.shape().dim(1);
        // dX[N, in] = dY[N, out] * W[out, in]
        CublasGemm.sgemm(device, false, false, n, in, out, 1f, ptr(dY, "dY"), out, ptr(w, "w"), in, 0f, ptr(dX, "dX"), in);
    }

    @Override public void backwardWeights(Tensor dY, Tensor x, Tensor dW) {
        int n = dY.shape().dim(0);
        int out = dW.shape().dim(0);
        int in = dW.shape().dim(1);
        // dW[out, in] += dY^T[out, N] * X[N, in]
        CublasGemm.sgemm(device, true, false, out, in, n, 1f, ptr(dY, "dY"), out, ptr(x, "x"), in, 1f, ptr(dW, "dW"), in);
    }

    @Override public void backwardBias(Tensor dY, Tensor db) {
        int out = db.size();
        int n = out == 0 ? 0 : dY.size() / out;
        if (out == 0) return;
        // db[out] += column sums of dY[N, out]
        device.kernels().launch(KernelCatalog.REDUCE, "col_sum_add_f32", CudaKernels.gridFor(out), CudaKernels.BLOCK, Pointer.to(
                Pointer.to(new int[] {n}), Pointer.to(new int[] {out}), Pointer.to(ptr(dY, "dY")), Pointer.to(ptr(db, "db"))));
    }

    private Pointer ptr(Tensor t, String name) {
        return CudaTensors.operand(t, device, "DenseCublas", name);
    }
}
