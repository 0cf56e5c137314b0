package org.neurite.layers.cuda;

import jcuda.Pointer;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.CudaTensors;
import org.neurite.runtime.cuda.KernelCatalog;

/**
 * {@code out = a + b} for tensors on one CUDA device: a device-to-device copy of {@code a}, then
 * {@code axpy_f32} ({@code out += 1 * b}), both on the device's stream. What a residual connection
 * needs on a GPU; the CPU keeps its own loop.
 */
public final class DeviceAdd {
    private DeviceAdd() { }

    /** {@code out = a + b} (same sizes, all on {@code out}'s CUDA device; {@code out} may be {@code a}, never {@code b}). */
    public static void add(Tensor a, Tensor b, Tensor out, String who) {
        CudaDevice d = CudaTensors.cuda(out.device());
        int n = out.size();
        if (a.size() != n || b.size() != n) throw new IllegalArgumentException(who + ": add " + a.shape() + " + " + b.shape() + " into " + out.shape());
        CudaTensors.operand(a, d, who, "a");   // checks the device: the copy would silently cross devices
        Pointer pb = CudaTensors.operand(b, d, who, "b");
        Pointer po = CudaTensors.operand(out, d, who, "out");
        if (a != out) out.copyFrom(a);
        if (n == 0) return;
        d.kernels().launch(KernelCatalog.ELEMENTWISE, "axpy_f32", n, Pointer.to(Pointer.to(new int[] {n}),
                Pointer.to(new float[] {1f}), Pointer.to(pb), Pointer.to(po)));
    }
}
