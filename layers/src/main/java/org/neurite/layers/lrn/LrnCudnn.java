package org.neurite.layers.lrn;

import jcuda.Pointer;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnLRNDescriptor;
import jcuda.jcudnn.cudnnTensorDescriptor;
import org.neurite.layers.cuda.CudnnDescriptors;
import org.neurite.layers.cuda.CudnnObjects;
import org.neurite.layers.cuda.LrnDescriptors;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.CudaCheck;
import org.neurite.runtime.cuda.CudaTensors;
import org.neurite.runtime.cuda.DeviceBlock;
import org.neurite.runtime.cuda.KernelCatalog;

/**
 * The CUDA engine of {@link LrnOp}. Where cuDNN's LRN is the CPU engine's function (odd window
 * up to 16, k >= 1e-5, beta >= 0.01: {@link LrnDescriptors}) it calls
 * {@code cudnnLRNCrossChannelForward} / {@code cudnnLRNCrossChannelBackward} over x described as
 * {@code [N, C, spatial, 1]}; otherwise (an even window, which cuDNN mirrors) it runs the kernels of
 * lrn.cu with PyTorch's window, keeping the forward's scale on the device for the backward.
 *
 * <pre>{@code
 * LrnOp op = new LrnCudnn(config, n, channels, spatial, (CudaDevice) x.device());
 * }</pre>
 */
public final class LrnCudnn implements LrnOp {
    private final LocalResponseNorm.Config cfg;
    private final CudaDevice device;
    private final int n, channels, spatial, size;
    private final boolean cudnn;
    private final cudnnTensorDescriptor desc;
    private final cudnnLRNDescriptor lrn;
    private final Pointer scale, ratio;      // kernel path: [N, C, spatial] each

    public LrnCudnn(LocalResponseNorm.Config cfg, int n, int channels, int spatial, CudaDevice device) {
        this(cfg, n, channels, spatial, device, false);
    }

    /** {@code forceKernels} runs the lrn.cu kernels even where cuDNN matches (tests compare both). */
    public LrnCudnn(LocalResponseNorm.Config cfg, int n, int channels, int spatial, CudaDevice device, boolean forceKernels) {
        this.cfg = cfg;
        this.device = device;
        this.n = n;
        this.channels = channels;
        this.spatial = spatial;
        this.size = n * channels * spatial;
        LrnDescriptors d = LrnDescriptors.of(cfg);
        this.cudnn = d.useCudnn() && !forceKernels;
        CudnnObjects objects = CudnnObjects.ownedBy(this);
        if (cudnn) {
            desc = objects.tensor(new int[] {n, channels, spatial, 1});
            lrn = objects.lrn(d.n(), d.alpha(), d.beta(), d.k());
            scale = null;
            ratio = null;
        } else {
            desc = null;
            lrn = null;
            DeviceBlock s = objects.block(device.allocator(), 4L * size), r = objects.block(device.allocator(), 4L * size);
            scale = CudnnObjects.pointer(s);
            ratio = CudnnObjects.pointer(r);
        }
    }

    /** True when cuDNN's LRN runs, false for the kernels. */
    public boolean usesCudnn() { return cudnn; }

    @Override public void forward(Tensor x, Tensor y) {
        check(x, "x");
        check(y, "y");
        if (cudnn) {
            CudaCheck.cudnn(JCudnn.cudnnLRNCrossChannelForward(device.cudnn(), lrn, LrnDescriptors.CROSS_CHANNEL, CudnnDescriptors.ONE,
                    desc, ptr(x, "x"), CudnnDescriptors.ZERO, desc, ptr(y, "y")), "cudnnLRNCrossChannelForward");
            return;
        }
        device.kernels().launch(KernelCatalog.LRN, "lrn_forward_f32", size, Pointer.to(
                Pointer.to(new int[] {n}), Pointer.to(new int[] {channels}), Pointer.to(new int[] {spatial}),
                Pointer.to(new int[] {cfg.size()}), Pointer.to(new float[] {cfg.alpha() / cfg.size()}),
                Pointer.to(new float[] {cfg.beta()}), Pointer.to(new float[] {cfg.k()}),
                Pointer.to(ptr(x, "x")), Pointer.to(scale), Pointer.to(ptr(y, "y"))));
    }

    @Override public void backward(Tensor x, Tensor y, Tensor dY, Tensor dX) {
        check(x, "x");
        check(y, "y");
        check(dY, "dY");
        check(dX, "dX");
        if (cudnn) {
            CudaCheck.cudnn(JCudnn.cudnnLRNCrossChannelBackward(device.cudnn(), lrn, LrnDescriptors.CROSS_CHANNEL, CudnnDescriptors.ONE,
                    desc, ptr(y, "y"), desc, ptr(dY, "dY"), desc, ptr(x, "x"), CudnnDescriptors.ZERO, desc, ptr(dX, "dX")),
                    "cudnnLRNCrossChannelBackward");
            return;
        }
        device.kernels().launch(KernelCatalog.LRN, "lrn_ratio_f32", size, Pointer.to(
                Pointer.to(new int[] {size}), Pointer.to(ptr(dY, "dY")), Pointer.to(ptr(y, "y")), Pointer.to(scale), Pointer.to(ratio)));
        device.kernels().launch(KernelCatalog.LRN, "lrn_backward_f32", size, Pointer.to(
                Pointer.to(new int[] {n}), Pointer.to(new int[] {channels}), Pointer.to(new int[] {spatial}),
                Pointer.to(new int[] {cfg.size()}), Pointer.to(new float[] {cfg.beta()}),
                Pointer.to(new float[] {2f * cfg.alpha() * cfg.beta() / cfg.size()}),
                Pointer.to(ptr(x, "x")), Pointer.to(ptr(dY, "dY")), Pointer.to(scale), Pointer.to(ratio), Pointer.to(ptr(dX, "dX"))));
    }

    private Pointer ptr(Tensor t, String name) {
        return CudaTensors.operand(t, device, "LrnCudnn", name);
    }

    private void check(Tensor t, String what) {
        if (t.size() != size) {
            throw new IllegalArgumentException("local response norm: " + what + " " + t.shape() + " for planned "
                    + n + " x " + channels + " x " + spatial);
        }
    }
}
