package org.neurite.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.layers.activation.Activation;
import org.neurite.layers.conv.Conv2d;
import org.neurite.layers.cuda.ChannelCopy;
import org.neurite.layers.norm.BatchNorm2d;
import org.neurite.layers.norm.Buffers;
import org.neurite.layers.pool.AvgPool2d;
import org.neurite.layers.pool.Pool2d;
import org.neurite.runtime.Device;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * A DenseNet-BC dense block (Huang et al. 2017), memory-efficient after Pleiss et al. 2017. Layer l
 * sees the concatenation of the block input and every earlier layer's output, c_l = C0 + l*k
 * channels, and adds k = growth channels: BN-ReLU-Conv1x1(bnSize*k)-BN-ReLU-Conv3x3(k, pad 1).
 *
 * <p>The concatenation is one preallocated block buffer {@code [N, C0 + L*k, H, W]}, which is also
 * the block's output: the input is copied into its first C0 channels once and each layer writes
 * its k channels once after the ones before, so the growing feature map is never copied. Layer l's
 * first batch norm reads the buffer's first c_l channels in place ({@link BatchNorm2d#forwardPrefix})
 * into one scratch buffer shared by all layers, which backward recomputes from the saved
 * statistics. Backward walks the layers in reverse over one block gradient buffer: when layer l
 * is reached, every later reader of its channels has added its share, and layer l adds its own
 * input gradient into the prefix. Per layer stay only the bottleneck output, its BN-ReLU and the
 * 3x3 convolution's output and input gradient (see {@link DenseLayer}).
 *
 * <p>On a CUDA device every buffer lives on the input's device; the channel copies are
 * {@code cudaMemcpy2DAsync} ({@link ChannelCopy}), the rest is cuDNN batch norm and convolution and
 * {@link DenseLayerCuda}'s kernels and cuBLAS calls, so nothing crosses to the host in a step.
 *
 * <p>Names follow torchvision: {@code denselayer1.norm1.weight}, {@code denselayer1.conv1.weight},
 * ..., {@code denselayer1.norm2.running_var}, {@code denselayer1.conv2.weight}.
 * <pre>{@code
 * DenseBlock block1 = new DenseBlock(DenseBlock.config(64, 6, 32), rng);   // densenet121's first block: 64 -> 256
 * Sequential trans1 = DenseBlock.transition(256, 128, rng);                  // BN-ReLU-Conv1x1-AvgPool2
 * }</pre>
 */
public final class DenseBlock extends Module implements Buffers.Owner {

    /** C0 = {@code inChannels}, L = {@code layers}, k = {@code growthRate}; the bottleneck has {@code bnSize * k} channels. */
    public record Config(int inChannels, int layers, int growthRate, int bnSize) {
        public Config {
            if (inChannels <= 0 || layers <= 0 || growthRate <= 0 || bnSize <= 0) {
                throw new IllegalArgumentException("dense block: all sizes must be positive: " + this);
            }
        }

        public int outChannels() { return inChannels + layers * growthRate; }
    }

    /** DenseNet-BC's bottleneck factor 4. */
    public static Config config(int inChannels, int layers, int growthRate) {
        return new Config(inChannels, layers, growthRate, 4);
    }

    private final Config config;
    private final List<DenseLayer> layers = new ArrayList<>();
    private final List<Param> params;

    private Tensor block;           // [N, C0 + L*k, H, W]: the concatenation and the output
    private Tensor dBlock;          // same shape: its gradient
    private Tensor scratch;         // [N, C0 + (L-1)*k, H, W]: the current layer's BN1-ReLU output (prefix)
    private Tensor dScratch;        // same shape: its gradient
    private Tensor dNew;            // [N, k, H, W]: the gradient of one layer's new channels
    private Tensor dZ;              // [N, bnSize*k, H, W]: the gradient of one layer's bottleneck output
    private Tensor dX;              // [N, C0, H, W]
    private float[][] partialDw = new float[0][];   // per batch slice: a conv1 filter gradient

    public DenseBlock(Config config, Rng rng) {
        this.config = config;
        int k = config.growthRate();
        List<Param> all = new ArrayList<>();
        for (int l = 0; l < config.layers(); l++) {
            DenseLayer layer = new DenseLayer("denselayer" + (l + 1), config.inChannels() + l * k, config.bnSize() * k, k, rng);
            layers.add(layer);
            all.addAll(layer.params);
        }
        this.params = Collections.unmodifiableList(all);
    }

    /** torchvision's {@code _Transition}: norm, relu, conv (1x1, no bias), pool (average 2x2, stride 2). */
    public static Sequential transition(int in, int out, Rng rng) {
        return new Sequential()
                .add("norm", new BatchNorm2d(in))
                .add("relu", Activation.relu())
                .add("conv", new Conv2d(Conv2d.config(in, out, 1).noBias().build(), rng))
                .add("pool", new AvgPool2d(Pool2d.Config.of(2, 2)));
    }

    public Config config() { return config; }

    @Override public Shape outputShape(Shape s) {
        if (s.rank() != 4 || s.dim(1) != config.inChannels()) {
            throw new IllegalArgumentException(describe() + ": expects [N, " + config.inChannels() + ", H, W], got " + s);
        }
        return Shape.of(s.dim(0), config.outChannels(), s.dim(2), s.dim(3));
    }

    @Override public Tensor forward(Tensor x, Mode mode) {
        Shape out = outputShape(x.shape());
        if (!Tensor.fits(block, out, x.device())) plan(out, x.device());
        int n = out.dim(0), hw = out.dim(2) * out.dim(3), k = config.growthRate();
        copyChannels(x, 0, block, 0, config.inChannels(), n, hw);
        for (int l = 0; l < layers.size(); l++) {
            DenseLayer layer = layers.get(l);
            copyChannels(layer.forward(block, scratch, mode), 0, block, layer.in, k, n, hw);
        }
        return block;
    }

    @Override public Tensor backward(Tensor dY) {
        if (block == null) throw new IllegalStateException(describe() + ": backward before forward");
        if (!dY.shape().equals(block.shape())) {
            throw new IllegalArgumentException(describe() + ": gradient " + dY.shape() + " does not match output " + block.shape());
        }
        Shape s = block.shape();
        int n = s.dim(0), hw = s.dim(2) * s.dim(3), k = config.growthRate();
        dBlock.copyFrom(dY);
        for (int l = layers.size() - 1; l >= 0; l--) {
            DenseLayer layer = layers.get(l);
            copyChannels(dBlock, layer.in, dNew, 0, k, n, hw);  // complete: every later reader has added its share
            layer.backward(dNew, dBlock, scratch, dScratch, dZ, partialDw);
        }
        if (!needsInputGrad) return null;
        copyChannels(dBlock, 0, dX, 0, config.inChannels(), n, hw);
        return dX;
    }

    private void plan(Shape out, Device device) {
        int n = out.dim(0), h = out.dim(2), w = out.dim(3), k = config.growthRate();
        int widest = config.inChannels() + (config.layers() - 1) * k;
        // The old buffers go back to the device's allocator (a no-op on the CPU).
        for (Tensor t : new Tensor[] {block, dBlock, scratch, dScratch, dNew, dZ, dX}) if (t != null) t.close();
        block = Tensor.zeros(out, device);
        dBlock = Tensor.zeros(out, device);
        scratch = Tensor.zeros(Shape.of(n, widest, h, w), device);
        dScratch = Tensor.zeros(Shape.of(n, widest, h, w), device);
        dNew = Tensor.zeros(Shape.of(n, k, h, w), device);
        dZ = Tensor.zeros(Shape.of(n, config.bnSize() * k, h, w), device);
        dX = Tensor.zeros(Shape.of(n, config.inChannels(), h, w), device);
        if (!device.isCpu()) return;    // the per-slice partials are the CPU engine's (DenseLayerCuda adds in place)
        int slices = Math.min(org.neurite.runtime.Parallel.threads(), n);
        if (partialDw.length < slices) partialDw = new float[slices][config.bnSize() * k * widest];
    }

    /**
     * Copies channels [from, from+count) of src into channels [to, to+count) of dst, sample by
     * sample: {@code System.arraycopy} per sample, or one {@code cudaMemcpy2DAsync} on a device.
     */
    private static void copyChannels(Tensor src, int from, Tensor dst, int to, int count, int n, int hw) {
        ChannelCopy.copy(src, from * hw, src.shape().stride0(), dst, to * hw, dst.shape().stride0(), count * hw, n);
    }

    @Override public List<Param> params() { return params; }

    @Override public List<Module> children() {
        List<Module> c = new ArrayList<>();
        for (DenseLayer l : layers) c.addAll(List.of(l.norm1, l.norm2, l.conv2));
        return Collections.unmodifiableList(c);
    }

    @Override public Map<String, Tensor> buffers() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        for (int l = 0; l < layers.size(); l++) {
            String p = "denselayer" + (l + 1) + ".";
            Buffers.putAll(all, p + "norm1", layers.get(l).norm1.buffers());
            Buffers.putAll(all, p + "norm2", layers.get(l).norm2.buffers());
        }
        return all;
    }

    @Override public void zeroGrad() {
        for (Param p : params) p.grad().fill(0f);
    }

    /**
     * Bytes of the activation buffers this block holds after a forward and backward at its last
     * input shape: its own buffers plus those of its layers' modules (outputs, input gradients,
     * statistics), as {@link #estimateActivationBytes} computes them; convolution engine
     * workspaces (per-thread im2col) are left out.
     */
    public long activationBytes() {
        if (block == null) return 0;
        Shape s = block.shape();
        return estimateActivationBytes(config, s.dim(0), s.dim(2), s.dim(3), partialDw.length);
    }

    /** What {@link #activationBytes} will be for a batch of n at h x w with {@code slices} batch slices (the thread count, at most n), without running. */
    public static long estimateActivationBytes(Config c, int n, int h, int w, int slices) {
        long hw = (long) h * w, k = c.growthRate(), widest = c.inChannels() + (c.layers() - 1) * k;
        long own = 2L * n * c.outChannels() * hw       // block, dBlock
                + 2L * n * widest * hw                  // scratch, dScratch
                + (long) n * k * hw                     // dNew
                + (long) n * c.bnSize() * k * hw        // dZ
                + (long) n * c.inChannels() * hw        // dX
                + (long) slices * c.bnSize() * k * widest;
        long bytes = 4 * own;
        for (int l = 0; l < c.layers(); l++) {
            bytes += DenseLayer.bytes(n, (int) hw, c.inChannels() + l * c.growthRate(), c.bnSize() * c.growthRate(), c.growthRate());
        }
        return bytes;
    }

    @Override public String describe() {
        return "DenseBlock(" + config.inChannels() + "->" + config.outChannels() + ", " + config.layers() + " layers, growth "
                + config.growthRate() + ", bottleneck " + config.bnSize() * config.growthRate() + ")";
    }
}
