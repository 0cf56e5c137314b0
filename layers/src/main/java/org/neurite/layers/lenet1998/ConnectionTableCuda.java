package org.neurite.layers.lenet1998;

import jcuda.Pointer;
import org.neurite.runtime.Device;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.CudaTensors;
import org.neurite.runtime.cuda.KernelCatalog;

/**
 * {@link PartialConv2d}'s connection-table masking on a CUDA device: the connected filters
 * {@code weight [connections, R, S]} are scattered into the dense filter {@code [K, C, R, S]}
 * ({@code partial_conv_scatter_f32}; the unconnected slices stay zero) and the dense filter gradient
 * is gathered back ({@code partial_conv_gather_add_f32}, {@code +=}). The table travels once, as
 * the float offset of each connection's slice ({@link #offsets}); the convolution itself is cuDNN's.
 */
final class ConnectionTableCuda {
    private final CudaDevice device;
    private final Tensor at;    // [connections]: (connOut * C + connIn) * R * S, as exact floats
    private final int rs;

    ConnectionTableCuda(Device device, int[] connIn, int[] connOut, int inChannels, int rs) {
        this.device = CudaTensors.cuda(device);
        this.rs = rs;
        Tensor host = Tensor.wrap(Shape.of(connIn.length), offsets(connIn, connOut, inChannels, rs));
        this.at = host.toDevice(device);
    }

    /** The slice offset of each connection in the dense filter; checked exact as floats (below 2^24). */
    static float[] offsets(int[] connIn, int[] connOut, int inChannels, int rs) {
        float[] f = new float[connIn.length];
        for (int i = 0; i < f.length; i++) {
            long o = ((long) connOut[i] * inChannels + connIn[i]) * rs;
            if (o + rs > (1 << 24)) throw new IllegalArgumentException("PartialConv2d: dense filter of more than 2^24 floats");
            f[i] = o;
        }
        return f;
    }

    CudaDevice device() { return device; }

    /** full[slice of i] = weight[i] for every connection i. */
    void scatter(Tensor weight, Tensor full) {
        launch("partial_conv_scatter_f32", weight, "weight", full, "full filter");
    }

    /** grad[i] += fullGrad[slice of i] for every connection i. */
    void gatherAdd(Tensor fullGrad, Tensor grad) {
        launch("partial_conv_gather_add_f32", fullGrad, "full filter gradient", grad, "weight.grad");
    }

    private void launch(String kernel, Tensor a, String aName, Tensor b, String bName) {
        int n = at.size();
        device.kernels().launch(KernelCatalog.LENET1998, kernel, (long) n * rs, Pointer.to(Pointer.to(new int[] {n}),
                Pointer.to(new int[] {rs}), Pointer.to(CudaTensors.pointer(at)),
                Pointer.to(CudaTensors.operand(a, device, "PartialConv2d", aName)),
                Pointer.to(CudaTensors.operand(b, device, "PartialConv2d", bName))));
    }
}
