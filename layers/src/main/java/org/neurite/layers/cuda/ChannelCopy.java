package org.neurite.layers.cuda;

import jcuda.runtime.JCuda;
import jcuda.runtime.cudaMemcpyKind;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.cuda.CudaCheck;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.CudaTensors;
import org.neurite.runtime.cuda.DevicePointer;

/**
 * Copies a channel range between two NCHW tensors with different channel counts, sample by sample:
 * {@code rows} rows of {@code len} floats, row i at {@code srcOff + i * srcStride} in the source and
 * {@code dstOff + i * dstStride} in the destination. It is concatenation and split along channels
 * (Concat, DenseBlock). On the CPU one {@code System.arraycopy} per row; on a CUDA device one
 * {@code cudaMemcpy2DAsync} (device to device, on the device's stream): a strided copy is exactly a
 * 2-D copy with pitches, so no kernel is needed.
 */
public final class ChannelCopy {
    private ChannelCopy() { }

    /** The arguments of the {@code cudaMemcpy2DAsync} call, in bytes (dst and src as offsets from their tensors). */
    public record Copy2d(long dstOffset, long dpitch, long srcOffset, long spitch, long width, long height) { }

    /**
     * The 2-D copy for these strides and offsets (floats), checked to stay inside both tensors
     * ({@code srcSize}, {@code dstSize} floats).
     */
    public static Copy2d plan(int srcSize, int srcOff, int srcStride, int dstSize, int dstOff, int dstStride, int len, int rows) {
        if (rows < 0 || len < 0 || srcOff < 0 || dstOff < 0 || len > srcStride || len > dstStride) {
            throw new IllegalArgumentException("channel copy: " + rows + " rows of " + len + " floats with strides "
                    + srcStride + " / " + dstStride + " and offsets " + srcOff + " / " + dstOff);
        }
        long lastSrc = srcOff + (long) Math.max(rows - 1, 0) * srcStride + len;
        long lastDst = dstOff + (long) Math.max(rows - 1, 0) * dstStride + len;
        if (rows > 0 && (lastSrc > srcSize || lastDst > dstSize)) {
            throw new IllegalArgumentException("channel copy: reaches float " + lastSrc + " of a " + srcSize
                    + "-float source or " + lastDst + " of a " + dstSize + "-float destination");
        }
        return new Copy2d(4L * dstOff, 4L * dstStride, 4L * srcOff, 4L * srcStride, 4L * len, rows);
    }

    /** Copies the rows (both tensors on the CPU, or both on one CUDA device). */
    public static void copy(Tensor src, int srcOff, int srcStride, Tensor dst, int dstOff, int dstStride, int len, int rows) {
        Copy2d c = plan(src.size(), srcOff, srcStride, dst.size(), dstOff, dstStride, len, rows);
        if (src.device().isCpu() && dst.device().isCpu()) {
            float[] s = src.data(), d = dst.data();
            for (int i = 0; i < rows; i++) System.arraycopy(s, srcOff + i * srcStride, d, dstOff + i * dstStride, len);
            return;
        }
        CudaDevice device = CudaTensors.cuda(dst.device());
        CudaTensors.operand(src, device, "channel copy", "src");
        CudaTensors.operand(dst, device, "channel copy", "dst");
        if (rows == 0 || len == 0) return;
        long s = src.deviceStorage().address(), d = dst.deviceStorage().address();
        CudaCheck.cuda(JCuda.cudaMemcpy2DAsync(DevicePointer.at(d + c.dstOffset()), c.dpitch(), DevicePointer.at(s + c.srcOffset()),
                c.spitch(), c.width(), c.height(), cudaMemcpyKind.cudaMemcpyDeviceToDevice, device.stream()), "cudaMemcpy2DAsync");
    }
}
