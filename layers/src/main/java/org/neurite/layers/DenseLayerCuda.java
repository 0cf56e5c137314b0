package org.neurite.layers;

import jcuda.Pointer;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.cuda.CublasGemm;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.CudaTensors;
import org.neurite.runtime.cuda.DevicePointer;
import org.neurite.runtime.cuda.KernelCatalog;

/**
 * The CUDA side of {@link DenseLayer}'s own arithmetic (its batch norms and 3x3 convolution are
 * modules with their own engines): the ReLU over a channel prefix of the block's scratch
 * ({@code relu_prefix_f32}, {@code relu_prefix_backward_f32}) and the bottleneck 1x1 convolution as
 * one {@code cublasSgemm} per sample over that prefix, whose sample stride is the scratch's, not the
 * prefix's (so cuDNN's packed tensors do not fit without a copy). The filter gradient adds each
 * sample's product into {@code conv1.grad} with beta = 1, in sample order on the one stream:
 * deterministic, and with no per-slice partial buffers.
 */
final class DenseLayerCuda {
    private DenseLayerCuda() { }

    /** ReLU in place over channels [0, len / hw) of each of the n samples of {@code t} ({@code len} floats per sample). */
    static void relu(Tensor t, int n, int len) {
        CudaDevice d = CudaTensors.cuda(t.device());
        int stride = t.shape().stride0();
        if ((long) n * len == 0) return;
        d.kernels().launch(KernelCatalog.CHANNELS, "relu_prefix_f32", (long) n * len, Pointer.to(Pointer.to(new int[] {n}),
                Pointer.to(new int[] {len}), Pointer.to(new int[] {stride}), Pointer.to(CudaTensors.operand(t, d, "dense layer", "scratch"))));
    }

    /** g = 0 where y <= 0 over the prefix of each sample (y and g shaped alike). */
    static void reluBackward(Tensor y, Tensor g, int n, int len) {
        CudaDevice d = CudaTensors.cuda(g.device());
        if ((long) n * len == 0) return;
        d.kernels().launch(KernelCatalog.CHANNELS, "relu_prefix_backward_f32", (long) n * len, Pointer.to(Pointer.to(new int[] {n}),
                Pointer.to(new int[] {len}), Pointer.to(new int[] {y.shape().stride0()}),
                Pointer.to(CudaTensors.operand(y, d, "dense layer", "scratch")), Pointer.to(CudaTensors.operand(g, d, "dense layer", "dScratch"))));
    }

    /** z[i] (bottleneck x hw) = w (bottleneck x in) * scratch[i] (in x hw), for each sample i. */
    static void conv1Forward(Tensor w, Tensor scratch, Tensor z, int n, int in, int bottleneck, int hw) {
        CudaDevice d = CudaTensors.cuda(z.device());
        Pointer pw = CudaTensors.operand(w, d, "dense layer", "conv1.weight");
        long s = address(scratch, d, "scratch"), zo = address(z, d, "z");
        int sStride = scratch.shape().stride0();
        for (int i = 0; i < n; i++) {
            CublasGemm.sgemm(d, false, false, bottleneck, hw, in, 1f, pw, in, at(s, (long) i * sStride), hw,
                    0f, at(zo, (long) i * bottleneck * hw), hw);
        }
    }

    /**
     * dW += sum_i dZ[i] * scratch[i]^T and dScratch[i] = W^T dZ[i] for each sample i, then the
     * ReLU's mask on dScratch.
     */
    static void conv1Backward(Tensor w, Tensor dW, Tensor scratch, Tensor dZ, Tensor dScratch, int n, int in, int bottleneck, int hw) {
        CudaDevice d = CudaTensors.cuda(dZ.device());
        Pointer pw = CudaTensors.operand(w, d, "dense layer", "conv1.weight");
        Pointer pdw = CudaTensors.operand(dW, d, "dense layer", "conv1.grad");
        long s = address(scratch, d, "scratch"), ds = address(dScratch, d, "dScratch"), dz = address(dZ, d, "dZ");
        int sStride = scratch.shape().stride0();
        for (int i = 0; i < n; i++) {
            long zo = (long) i * bottleneck * hw, so = (long) i * sStride;
            CublasGemm.sgemm(d, false, true, bottleneck, in, hw, 1f, at(dz, zo), hw, at(s, so), hw, 1f, pdw, in);
            CublasGemm.sgemm(d, true, false, in, hw, bottleneck, 1f, pw, in, at(dz, zo), hw, 0f, at(ds, so), hw);
        }
        reluBackward(scratch, dScratch, n, in * hw);
    }

    private static long address(Tensor t, CudaDevice d, String name) {
        CudaTensors.operand(t, d, "dense layer", name);
        return t.deviceStorage().address();
    }

    private static Pointer at(long base, long floats) {
        return DevicePointer.at(base + 4 * floats);
    }
}
