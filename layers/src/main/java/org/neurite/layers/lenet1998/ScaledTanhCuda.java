package org.neurite.layers.lenet1998;

import jcuda.Pointer;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.CudaTensors;
import org.neurite.runtime.cuda.KernelCatalog;

/**
 * The CUDA engine of {@link ScaledTanh}: {@code scaled_tanh_forward_f32} ({@code y = A tanh(S x)},
 * {@code tanhf}, where the CPU rounds a double tanh: they agree to a few float ulps) and
 * {@code scaled_tanh_backward_f32} ({@code dX = dY S (A - y^2 / A)}, the CPU's operations in its order).
 */
final class ScaledTanhCuda {
    private ScaledTanhCuda() { }

    static void forward(Tensor x, Tensor y) {
        CudaDevice d = CudaTensors.cuda(y.device());
        int n = x.size();
        Pointer px = CudaTensors.operand(x, d, "ScaledTanhCuda", "x"), py = CudaTensors.operand(y, d, "ScaledTanhCuda", "y");
        if (n == 0) return;
        d.kernels().launch(KernelCatalog.LENET1998, "scaled_tanh_forward_f32", n, Pointer.to(Pointer.to(new int[] {n}),
                Pointer.to(new float[] {ScaledTanh.A}), Pointer.to(new float[] {ScaledTanh.S}), Pointer.to(px), Pointer.to(py)));
    }

    static void backward(Tensor y, Tensor dY, Tensor dX) {
        CudaDevice d = CudaTensors.cuda(dX.device());
        int n = y.size();
        Pointer py = CudaTensors.operand(y, d, "ScaledTanhCuda", "y"), pg = CudaTensors.operand(dY, d, "ScaledTanhCuda", "dY");
        Pointer pdx = CudaTensors.operand(dX, d, "ScaledTanhCuda", "dX");
        if (n == 0) return;
        d.kernels().launch(KernelCatalog.LENET1998, "scaled_tanh_backward_f32", n, Pointer.to(Pointer.to(new int[] {n}),
                Pointer.to(new float[] {ScaledTanh.A}), Pointer.to(new float[] {ScaledTanh.S}), Pointer.to(py), Pointer.to(pg), Pointer.to(pdx)));
    }
}
