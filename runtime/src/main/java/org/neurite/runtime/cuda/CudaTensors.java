package org.neurite.runtime.cuda;

import jcuda.Pointer;
import jcuda.runtime.JCuda;
import jcuda.runtime.cudaMemcpyKind;
import org.neurite.runtime.Device;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * The CUDA side of {@link Tensor}: allocation from the device's allocator, fills and copies on the
 * device's stream, and the device pointers engines pass to cuBLAS, cuDNN and kernels. Only reached
 * for tensors on a CUDA device, so the CPU path never loads this class.
 */
public final class CudaTensors {
    private CudaTensors() { }

    /** {@code device} as a CUDA device; an error naming it otherwise. */
    public static CudaDevice cuda(Device device) {
        if (device instanceof CudaDevice d) return d;
        throw new IllegalArgumentException(device + " is not a CUDA device");
    }

    /** An uninitialised tensor on {@code device} (for outputs that are written before they are read). */
    public static Tensor empty(Shape shape, Device device) {
        CudaDevice d = cuda(device);
        CudaAllocator a = d.allocator();
        return Tensor.ofDeviceStorage(shape, d, new DeviceStorage(a, a.allocate(4L * shape.size())));
    }

    /** A zero-filled tensor on {@code device} ({@code cudaMemsetAsync}). */
    public static Tensor zeros(Shape shape, Device device) {
        Tensor t = empty(shape, device);
        CudaDevice d = cuda(device);
        CudaCheck.cuda(JCuda.cudaMemsetAsync(pointer(t), 0, 4L * shape.size(), d.stream()), "cudaMemsetAsync");
        return t;
    }

    /** The device pointer of {@code t}'s storage (cached, so engines allocate nothing per call). */
    public static Pointer pointer(Tensor t) {
        DeviceStorage s = t.deviceStorage();
        Object p = s.cachedPointer();
        if (p == null) {
            p = DevicePointer.at(s.address());
            s.cachePointer(p);
        }
        return (Pointer) p;
    }

    /**
     * The device pointer of operand {@code name} of {@code op}, checked to live on {@code device}:
     * the error says what to fix (usually a module that allocated its output on the CPU).
     */
    public static Pointer operand(Tensor t, CudaDevice device, String op, String name) {
        if (t.device() != device) {
            throw new IllegalArgumentException(op + ": " + name + " " + t.shape() + " is on " + t.device() + ", expected "
                    + device.name() + " (allocate it with Tensor.zeros(shape, device), or move it with toDevice)");
        }
        return pointer(t);
    }

    /** Sets every element of a device tensor to {@code value} on its stream. */
    public static void fill(Tensor t, float value) {
        CudaDevice d = cuda(t.device());
        int n = t.size();
        if (Float.floatToRawIntBits(value) == 0) {
            CudaCheck.cuda(JCuda.cudaMemsetAsync(pointer(t), 0, 4L * n, d.stream()), "cudaMemsetAsync");
            return;
        }
        d.kernels().launch(KernelCatalog.ELEMENTWISE, "fill_f32", n,
                Pointer.to(Pointer.to(new int[] {n}), Pointer.to(new float[] {value}), Pointer.to(pointer(t))));
    }

    /** {@code dst = src} for tensors of the same size where at least one lives on a CUDA device. */
    public static void copy(Tensor src, Tensor dst) {
        int n = src.size();
        if (dst.size() != n) throw new IllegalArgumentException("copy " + src.shape() + " into " + dst.shape());
        if (src.device().isCpu()) {
            CudaDevice d = cuda(dst.device());
            d.staging().upload(src.data(), 0, n, dst.deviceStorage().address());
        } else if (dst.device().isCpu()) {
            CudaDevice d = cuda(src.device());
            d.staging().download(src.deviceStorage().address(), dst.data(), 0, n);
        } else if (src.device() == dst.device()) {
            CudaDevice d = cuda(dst.device());
            CudaCheck.cuda(JCuda.cudaMemcpyAsync(pointer(dst), pointer(src), 4L * n,
                    cudaMemcpyKind.cudaMemcpyDeviceToDevice, d.stream()), "cudaMemcpyAsync(device to device)");
        } else {
            // Between two devices: through the host, so no peer access is needed.
            float[] host = new float[n];
            cuda(src.device()).staging().download(src.deviceStorage().address(), host, 0, n);
            cuda(dst.device()).staging().upload(host, 0, n, dst.deviceStorage().address());
        }
    }
}
