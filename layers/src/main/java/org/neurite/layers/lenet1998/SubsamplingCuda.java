package org.neurite.layers.lenet1998;

import jcuda.Pointer;
import org.neurite.runtime.Device;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.CudaTensors;
import org.neurite.runtime.cuda.KernelCatalog;

/**
 * The CUDA engine of {@link Subsampling} (lenet1998.cu): {@code subsample_forward_f32} writes the
 * window sums and y, one thread per output pixel; {@code subsample_backward_data_f32} writes dX;
 * the coefficient and bias gradients are reduced as the CPU reduces them, per plane by
 * {@code subsample_plane_grads_f32} (one thread per plane, pixels in order) and then per channel by
 * {@code subsample_channel_grads_f32} (planes in order, added into dW, dB): no atomics.
 */
final class SubsamplingCuda {
    private final CudaDevice device;
    private Tensor dwPlane;     // [N*C]
    private Tensor dbPlane;     // [N*C]

    SubsamplingCuda(CudaDevice device) {
        this.device = device;
    }

    /** The engine for {@code device}: the one place Subsampling's CUDA engine is chosen. */
    static SubsamplingCuda on(Device device) {
        return new SubsamplingCuda(CudaTensors.cuda(device));
    }

    CudaDevice device() { return device; }

    /** sums = 2x2 window sums of x, y = weight[c] * sums + bias[c]. */
    void forward(Tensor x, Tensor weight, Tensor bias, Tensor sums, Tensor y) {
        Shape s = x.shape();
        int planes = s.dim(0) * s.dim(1), h = s.dim(2), w = s.dim(3);
        if (y.size() == 0) return;
        device.kernels().launch(KernelCatalog.LENET1998, "subsample_forward_f32", y.size(), Pointer.to(
                Pointer.to(new int[] {planes}), Pointer.to(new int[] {s.dim(1)}), Pointer.to(new int[] {h}), Pointer.to(new int[] {w}),
                Pointer.to(ptr(x, "x")), Pointer.to(ptr(weight, "weight")), Pointer.to(ptr(bias, "bias")),
                Pointer.to(ptr(sums, "sums")), Pointer.to(ptr(y, "y"))));
    }

    /** dX = dY * weight[c] spread over each window (skipped when null); dW, dB += the reduced sums. */
    void backward(Tensor dY, Tensor weight, Tensor sums, Shape inputShape, Tensor dX, Tensor dW, Tensor dB) {
        int channels = inputShape.dim(1), planes = inputShape.dim(0) * channels, h = inputShape.dim(2), w = inputShape.dim(3);
        if (planes == 0) return;
        if (dX != null) {
            device.kernels().launch(KernelCatalog.LENET1998, "subsample_backward_data_f32", dX.size(), Pointer.to(
                    Pointer.to(new int[] {planes}), Pointer.to(new int[] {channels}), Pointer.to(new int[] {h}), Pointer.to(new int[] {w}),
                    Pointer.to(ptr(dY, "dY")), Pointer.to(ptr(weight, "weight")), Pointer.to(ptr(dX, "dX"))));
        }
        if (!Tensor.fits(dwPlane, Shape.of(planes), device)) {
            if (dwPlane != null) { dwPlane.close(); dbPlane.close(); }
            dwPlane = CudaTensors.empty(Shape.of(planes), device);
            dbPlane = CudaTensors.empty(Shape.of(planes), device);
        }
        device.kernels().launch(KernelCatalog.LENET1998, "subsample_plane_grads_f32", planes, Pointer.to(
                Pointer.to(new int[] {planes}), Pointer.to(new int[] {(h / 2) * (w / 2)}), Pointer.to(ptr(dY, "dY")),
                Pointer.to(ptr(sums, "sums")), Pointer.to(CudaTensors.pointer(dwPlane)), Pointer.to(CudaTensors.pointer(dbPlane))));
        device.kernels().launch(KernelCatalog.LENET1998, "subsample_channel_grads_f32", channels, Pointer.to(
                Pointer.to(new int[] {planes}), Pointer.to(new int[] {channels}), Pointer.to(CudaTensors.pointer(dwPlane)),
                Pointer.to(CudaTensors.pointer(dbPlane)), Pointer.to(ptr(dW, "weight.grad")), Pointer.to(ptr(dB, "bias.grad"))));
    }

    private Pointer ptr(Tensor t, String name) {
        return CudaTensors.operand(t, device, "SubsamplingCuda", name);
    }
}
