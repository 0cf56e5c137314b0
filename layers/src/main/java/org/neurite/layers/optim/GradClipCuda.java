package org.neurite.layers.optim;

import java.util.List;
import jcuda.Pointer;
import org.neurite.layers.Param;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.CudaTensors;
import org.neurite.runtime.cuda.DevicePointer;
import org.neurite.runtime.cuda.KernelCatalog;

/**
 * {@link GradClip#clipByGlobalNorm} for gradients on one CUDA device (clip.cu): per gradient,
 * {@code sumsq_partial_f32} writes one double partial sum of squares per block into one shared
 * buffer; {@code clip_factor_f32} (one block) adds them in a fixed order and writes the norm and
 * the factor; per gradient, {@code clip_scale_f32} reads the factor from device memory. All of it
 * is queued before the one download of {norm, factor}, so clipping costs one round trip. The grids
 * depend only on the tensor sizes and no float atomics are used: the same gradients give the same
 * norm on every run.
 */
final class GradClipCuda {
    /** Threads per block: a multiple of 32, as the block reduction needs. */
    static final int BLOCK = 256;
    /** Most blocks (partial sums) per gradient tensor. */
    static final int MAX_BLOCKS = 256;

    private GradClipCuda() { }

    /** Blocks (and partial sums) for a gradient of {@code n} elements: ceil(n / 256), between 1 and 256. */
    static int blocksFor(int n) {
        return (int) Math.max(1, Math.min(MAX_BLOCKS, (n + (long) BLOCK - 1) / BLOCK));
    }

    /** Where each gradient's partials start in the shared buffer; the last entry is the total count. */
    static int[] offsets(int[] sizes) {
        int[] at = new int[sizes.length + 1];
        for (int i = 0; i < sizes.length; i++) at[i + 1] = at[i] + blocksFor(sizes[i]);
        return at;
    }

    /** True when some gradient of {@code params} lives on a device (then all must live on that one). */
    static boolean onDevice(List<Param> params) {
        for (Param p : params) {
            if (!p.grad().device().isCpu()) return true;
        }
        return false;
    }

    /** The common CUDA device of every gradient; an error naming the first one elsewhere. */
    static CudaDevice deviceOf(List<Param> params) {
        Param first = params.get(0);
        for (Param p : params) {
            if (!p.grad().device().isCpu()) {
                first = p;
                break;
            }
        }
        CudaDevice d = CudaTensors.cuda(first.grad().device());
        for (Param p : params) {
            if (p.grad().device() != d) {
                throw new IllegalArgumentException("clipByGlobalNorm: " + p.name() + "'s gradient lives on " + p.grad().device()
                        + ", " + first.name() + "'s on " + d + "; clip gradients of one device together");
            }
        }
        return d;
    }

    /** Clips the gradients of {@code params} (all on one CUDA device); returns the norm before clipping. */
    static double clip(List<Param> params, double maxNorm) {
        CudaDevice d = deviceOf(params);
        int[] sizes = new int[params.size()];
        for (int i = 0; i < sizes.length; i++) sizes[i] = params.get(i).grad().size();
        int[] at = offsets(sizes);
        int count = at[sizes.length];
        // From the caching allocator, so a step after the first allocates no device memory.
        try (Tensor partials = CudaTensors.empty(Shape.of(2 * count), d);   // count doubles
             Tensor out = CudaTensors.empty(Shape.of(2), d)) {                 // norm, factor
            long base = partials.deviceStorage().address();
            for (int i = 0; i < sizes.length; i++) {
                Pointer g = CudaTensors.operand(params.get(i).grad(), d, "clipByGlobalNorm", params.get(i).name() + " grad");
                d.kernels().launch(KernelCatalog.CLIP, "sumsq_partial_f32", blocksFor(sizes[i]), BLOCK, Pointer.to(
                        Pointer.to(new int[] {sizes[i]}), Pointer.to(g), Pointer.to(devicePointer(base + 8L * at[i]))));
            }
            d.kernels().launch(KernelCatalog.CLIP, "clip_factor_f32", 1, BLOCK, Pointer.to(
                    Pointer.to(new int[] {count}), Pointer.to(CudaTensors.pointer(partials)),
                    Pointer.to(new double[] {maxNorm}), Pointer.to(CudaTensors.pointer(out))));
            Pointer factor = devicePointer(out.deviceStorage().address() + 4);
            for (int i = 0; i < sizes.length; i++) {
                d.kernels().launch(KernelCatalog.CLIP, "clip_scale_f32", sizes[i], Pointer.to(
                        Pointer.to(new int[] {sizes[i]}), Pointer.to(CudaTensors.pointer(params.get(i).grad())),
                        Pointer.to(factor)));
            }
            return out.toCpu().data()[0];
        }
    }

    private static Pointer devicePointer(long address) {
        return DevicePointer.at(address);
    }
}
