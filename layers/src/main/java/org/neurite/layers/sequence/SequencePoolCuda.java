package org.neurite.layers.sequence;

import jcuda.Pointer;
import jcuda.runtime.JCuda;
import jcuda.runtime.cudaMemcpyKind;
import org.neurite.runtime.Device;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.cuda.CudaCheck;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.CudaTensors;
import org.neurite.runtime.cuda.DevicePointer;
import org.neurite.runtime.cuda.KernelCatalog;

/**
 * The CUDA engine of {@link SequencePool} over x {@code [T, N, C]}, y {@code [N, C]}: LAST is one
 * {@code cudaMemcpyAsync} of the last step (backward: {@code cudaMemsetAsync} of the earlier steps
 * and a copy into the last); MAX and MEAN are {@code seq_max_*} / {@code seq_mean_*} of
 * sequence.cu, one thread per (n, c) walking the steps in the CPU's order. MAX keeps the step of
 * each maximum on the device (as floats) for backward.
 */
final class SequencePoolCuda {
    private final SequencePool.Kind kind;
    private final CudaDevice device;
    private Tensor argmax;      // MAX: [N, C], the step of each maximum

    SequencePoolCuda(SequencePool.Kind kind, CudaDevice device) {
        this.kind = kind;
        this.device = device;
    }

    /** The engine for {@code device}: the one place SequencePool's CUDA engine is chosen. */
    static SequencePoolCuda on(SequencePool.Kind kind, Device device) {
        return new SequencePoolCuda(kind, CudaTensors.cuda(device));
    }

    CudaDevice device() { return device; }

    void forward(Tensor x, Tensor y) {
        int t = x.shape().dim(0), nc = y.size();
        Pointer px = CudaTensors.operand(x, device, "SequencePoolCuda", "x"), py = CudaTensors.operand(y, device, "SequencePoolCuda", "y");
        if (nc == 0) return;
        switch (kind) {
            case LAST -> CudaCheck.cuda(JCuda.cudaMemcpyAsync(py, DevicePointer.at(x.deviceStorage().address() + 4L * (t - 1) * nc),
                    4L * nc, cudaMemcpyKind.cudaMemcpyDeviceToDevice, device.stream()), "cudaMemcpyAsync(last step)");
            case MAX -> {
                if (!Tensor.fits(argmax, y.shape(), device)) {
                    if (argmax != null) argmax.close();
                    argmax = CudaTensors.empty(y.shape(), device);
                }
                device.kernels().launch(KernelCatalog.SEQUENCE, "seq_max_forward_f32", nc, Pointer.to(Pointer.to(new int[] {t}),
                        Pointer.to(new int[] {nc}), Pointer.to(px), Pointer.to(py), Pointer.to(CudaTensors.pointer(argmax))));
            }
            case MEAN -> device.kernels().launch(KernelCatalog.SEQUENCE, "seq_mean_forward_f32", nc, Pointer.to(
                    Pointer.to(new int[] {t}), Pointer.to(new int[] {nc}), Pointer.to(new float[] {1f / t}), Pointer.to(px), Pointer.to(py)));
        }
    }

    void backward(Tensor dY, Shape inputShape, Tensor dX) {
        int t = inputShape.dim(0), nc = dY.size();
        Pointer pg = CudaTensors.operand(dY, device, "SequencePoolCuda", "dY"), pdx = CudaTensors.operand(dX, device, "SequencePoolCuda", "dX");
        if (nc == 0) return;
        switch (kind) {
            case LAST -> {
                long base = dX.deviceStorage().address();
                if (t > 1) CudaCheck.cuda(JCuda.cudaMemsetAsync(pdx, 0, 4L * (t - 1) * nc, device.stream()), "cudaMemsetAsync");
                CudaCheck.cuda(JCuda.cudaMemcpyAsync(DevicePointer.at(base + 4L * (t - 1) * nc), pg, 4L * nc,
                        cudaMemcpyKind.cudaMemcpyDeviceToDevice, device.stream()), "cudaMemcpyAsync(last step)");
            }
            case MAX -> device.kernels().launch(KernelCatalog.SEQUENCE, "seq_max_backward_f32", (long) t * nc, Pointer.to(
                    Pointer.to(new int[] {t}), Pointer.to(new int[] {nc}), Pointer.to(CudaTensors.pointer(argmax)), Pointer.to(pg), Pointer.to(pdx)));
            case MEAN -> device.kernels().launch(KernelCatalog.SEQUENCE, "seq_mean_backward_f32", (long) t * nc, Pointer.to(
                    Pointer.to(new int[] {t}), Pointer.to(new int[] {nc}), Pointer.to(new float[] {1f / t}), Pointer.to(pg), Pointer.to(pdx)));
        }
    }
}
