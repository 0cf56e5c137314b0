package org.neurite.layers;

import java.util.List;
import org.neurite.layers.conv.Conv2d;
import org.neurite.layers.init.Init;
import org.neurite.layers.norm.BatchNorm2d;
import org.neurite.runtime.Blas;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * One DenseNet-BC layer, BN-ReLU-Conv1x1(bottleneck)-BN-ReLU-Conv3x3(growth), working on its
 * {@link DenseBlock}'s shared buffers. The first half reads the block buffer's channel prefix in
 * place and writes the block's shared scratch, which backward recomputes (Pleiss et al. 2017), so
 * its memory does not grow with the layer; the 1x1 convolution is a GEMM per sample over that
 * scratch. The second half is ordinary modules with their own buffers ({@code bottleneck} channels).
 * On a CUDA device the ReLUs and the 1x1 convolution run through {@link DenseLayerCuda}.
 * Names follow torchvision's {@code _DenseLayer}: norm1, conv1, norm2, conv2.
 */
final class DenseLayer {
    final int in;                       // c: input channels, the block buffer's prefix read
    final int bottleneck;               // bnSize * growth
    final BatchNorm2d norm1;            // over the prefix [N, c, H, W] of the block buffer
    final Param conv1;                  // [bottleneck, c, 1, 1], no bias
    final BatchNorm2d norm2;            // z -> y2 through its prefix entry points (caller-owned buffers)
    final Conv2d conv2;                 // bottleneck -> growth, 3x3, pad 1, no bias
    final List<Param> params;
    Tensor z;                           // [N, bottleneck, H, W]: conv1's output, norm2's input
    Tensor y2;                          // [N, bottleneck, H, W]: relu(norm2(z)), conv2's input

    DenseLayer(String name, int in, int bottleneck, int growth, Rng rng) {
        this.in = in;
        this.bottleneck = bottleneck;
        this.norm1 = new BatchNorm2d(in);
        Tensor w = Tensor.zeros(bottleneck, in, 1, 1);
        Init.heUniform(w, in, rng);     // as Conv2d initialises
        this.conv1 = Param.of("conv1.weight", w);
        this.norm2 = new BatchNorm2d(bottleneck);
        this.conv2 = new Conv2d(Conv2d.config(bottleneck, growth, 3).padding(1).noBias().build(), rng);
        String p = name + ".";
        this.params = List.of(norm1.weight().withPrefix(p + "norm1."), norm1.bias().withPrefix(p + "norm1."),
                conv1.withPrefix(p), norm2.weight().withPrefix(p + "norm2."), norm2.bias().withPrefix(p + "norm2."),
                conv2.weight().withPrefix(p + "conv2."));
    }

    /** Runs the layer on the prefix of {@code block}; returns conv2's output [N, growth, H, W]. */
    Tensor forward(Tensor block, Tensor scratch, Mode mode) {
        Shape bs = block.shape();
        int n = bs.dim(0), hw = bs.dim(2) * bs.dim(3);
        Shape zs = Shape.of(n, bottleneck, bs.dim(2), bs.dim(3));
        if (!Tensor.fits(z, zs, block.device())) {
            if (z != null) { z.close(); y2.close(); }   // device memory back to the allocator (no-op on the CPU)
            z = Tensor.zeros(zs, block.device());
            y2 = Tensor.zeros(zs, block.device());
        }
        norm1.forwardPrefix(block, scratch, mode);
        relu(scratch, in, n, hw);
        if (!block.device().isCpu()) {
            DenseLayerCuda.conv1Forward(conv1.value(), scratch, z, n, in, bottleneck, hw);
            norm2.forwardPrefix(z, y2, mode);
            relu(y2, bottleneck, n, hw);
            return conv2.forward(y2, mode);
        }
        // z[i] (bottleneck x hw) = conv1 (bottleneck x c) * scratch[i] (c x hw)
        float[] w = conv1.value().data(), s = scratch.data(), zd = z.data();
        int sStride = scratch.shape().stride0();
        Parallel.forRange(n, 1, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                Blas.sgemm(false, false, bottleneck, hw, in, 1f, w, 0, in, s, i * sStride, hw, 0f, zd, i * bottleneck * hw, hw);
            }
        });
        norm2.forwardPrefix(z, y2, mode);
        relu(y2, bottleneck, n, hw);
        return conv2.forward(y2, mode);
    }

    /**
     * Backward for {@code dNew}, the gradient of this layer's output channels: parameter gradients
     * accumulate and the prefix of {@code dBlock} gets the input gradient added.
     */
    void backward(Tensor dNew, Tensor dBlock, Tensor scratch, Tensor dScratch, Tensor dZ, float[][] partialDw) {
        int n = z.shape().dim(0), hw = z.shape().dim(2) * z.shape().dim(3);
        Tensor dY2 = conv2.backward(dNew);
        if (!dNew.device().isCpu()) {
            DenseLayerCuda.reluBackward(y2, dY2, n, bottleneck * hw);   // in conv2's gradient buffer, as below
            dZ.fill(0f);
            norm2.backwardPrefix(dY2, dZ);
            norm1.recomputePrefix(scratch);
            relu(scratch, in, n, hw);
            DenseLayerCuda.conv1Backward(conv1.value(), conv1.grad(), scratch, dZ, dScratch, n, in, bottleneck, hw);
            norm1.backwardPrefix(dScratch, dBlock);
            return;
        }
        float[] g = dY2.data(), y = y2.data();
        for (int j = 0; j < g.length; j++) if (!(y[j] > 0f)) g[j] = 0f;    // ReLU, in conv2's gradient buffer (rewritten every backward)
        dZ.fill(0f);
        norm2.backwardPrefix(dY2, dZ);
        norm1.recomputePrefix(scratch);
        relu(scratch, in, n, hw);
        float[] w = conv1.value().data(), s = scratch.data(), ds = dScratch.data(), dz = dZ.data();
        int sStride = scratch.shape().stride0();
        int slices = Math.min(Parallel.threads(), n);
        // Per slice of the batch: dW partial = sum_i dZ[i] * scratch[i]^T; dScratch[i] = W^T dZ[i], masked by the ReLU.
        Parallel.forRange(slices, 1, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int from = (int) ((long) n * t / slices), to = (int) ((long) n * (t + 1) / slices);
                for (int i = from; i < to; i++) {
                    int zo = i * bottleneck * hw, so = i * sStride;
                    Blas.sgemm(false, true, bottleneck, in, hw, 1f, dz, zo, hw, s, so, hw, i == from ? 0f : 1f, partialDw[t], 0, in);
                    Blas.sgemm(true, false, in, hw, bottleneck, 1f, w, 0, in, dz, zo, hw, 0f, ds, so, hw);
                    for (int j = so; j < so + in * hw; j++) if (!(s[j] > 0f)) ds[j] = 0f;
                }
            }
        });
        float[] dw = conv1.grad().data();
        for (int j = 0; j < dw.length; j++) {     // slices added in order: same bits for the same thread count
            float sum = 0f;
            for (int t = 0; t < slices; t++) sum += partialDw[t][j];
            dw[j] += sum;
        }
        norm1.backwardPrefix(dScratch, dBlock);
    }

    /** ReLU in place over the first {@code channels} channels of every sample of {@code t}. */
    private static void relu(Tensor t, int channels, int n, int hw) {
        if (!t.device().isCpu()) {
            DenseLayerCuda.relu(t, n, channels * hw);
            return;
        }
        float[] d = t.data();
        int stride = t.shape().stride0(), len = channels * hw;
        Parallel.forRange(n, 1, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                for (int j = i * stride; j < i * stride + len; j++) d[j] = Math.max(d[j], 0f);
            }
        });
    }

    /** Bytes this layer allocates itself and through its modules for a batch of n at h x w (engine workspaces aside). */
    static long bytes(int n, int hw, int in, int bottleneck, int growth) {
        long norm1 = 4L * in;                                  // statistics only: the prefix entry points allocate nothing
        long z = (long) n * bottleneck * hw;
        long norm2 = 4L * bottleneck;                          // statistics; its y2 is this layer's
        long conv2 = (long) n * growth * hw + z;               // y, dX
        return 4 * (norm1 + 2 * z + norm2 + conv2);            // z, y2
    }
}
