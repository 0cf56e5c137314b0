package org.neurite.models.zoo;

import org.neurite.layers.Concat;
import org.neurite.layers.DenseBlock;
import org.neurite.layers.Module;
import org.neurite.layers.Residual;
import org.neurite.layers.Sequential;
import org.neurite.layers.dropout.Dropout;
import org.neurite.layers.lrn.LocalResponseNorm;
import org.neurite.layers.norm.BatchNorm2d;
import org.neurite.layers.shape.Flatten;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Shape;

/**
 * The activation memory a training step holds, computed from shapes alone. Every Neurite module
 * plans its buffers once per input shape and keeps them, so after one forward and backward all of
 * them are allocated at once: the peak is their sum. Per module: its output and its input gradient
 * (4 bytes a float); batch norm adds its per-channel statistics, dropout its mask, LRN its scale;
 * Flatten is a view (nothing); residual and concat containers add their own output and gradient
 * sum; a {@link DenseBlock} counts its shared block buffers as
 * {@link DenseBlock#estimateActivationBytes} states. Not counted: parameters, their gradients and
 * optimizer state, and convolution engine workspaces (ConvCpu keeps at most 16 MiB of im2col
 * columns per convolution, and per-thread column buffers).
 *
 * <pre>{@code
 * long bytes = ActivationMemory.bytes(DenseNet.densenet121(rng), Shape.of(32, 3, 224, 224));
 * }</pre>
 */
public final class ActivationMemory {
    private ActivationMemory() { }

    /** Bytes of activation buffers for a training step of {@code model} on a batch of {@code input}. */
    public static long bytes(Module model, Shape input) {
        long[] total = {0};
        walk(model, input, total);
        return total[0];
    }

    /** Prints the activation memory of a zoo model: {@code ActivationMemory densenet121 32}. */
    public static void main(String[] args) {
        ModelZoo.Spec spec = ModelZoo.get(args.length > 0 ? args[0] : "densenet121");
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int[] d = spec.inputShape().dims();
        int[] b = new int[d.length + 1];
        b[0] = batch;
        System.arraycopy(d, 0, b, 1, d.length);
        long bytes = bytes(spec.build(new org.neurite.runtime.Rng(0)), Shape.of(b));
        System.out.printf("%s batch %d, %d threads: %,d bytes (%.1f MiB) of activation buffers%n",
                spec.name(), batch, Parallel.threads(), bytes, bytes / 1048576.0);
    }

    private static Shape walk(Module m, Shape in, long[] total) {
        if (m instanceof Sequential s) {
            Shape x = in;
            for (Module c : s.children()) x = walk(c, x, total);
            return x;
        }
        Shape out = m.outputShape(in);
        if (m instanceof Residual || m instanceof Concat) {
            for (Module c : m.children()) walk(c, in, total);
            total[0] += 4L * (out.size() + in.size());      // y, and dX summed over the paths
        } else if (m instanceof DenseBlock b) {
            int n = in.dim(0);
            total[0] += DenseBlock.estimateActivationBytes(b.config(), n, in.dim(2), in.dim(3), Math.min(Parallel.threads(), n));
        } else if (m instanceof Flatten) {
            return out;                                      // views
        } else if (m instanceof Dropout) {
            total[0] += 4L * 3 * in.size();                  // mask, y, dX
        } else if (m instanceof BatchNorm2d) {
            total[0] += 4L * (out.size() + in.size() + 2L * in.dim(1));  // y, dX, saved mean and inverse std
        } else if (m instanceof LocalResponseNorm) {
            total[0] += 4L * (2L * out.size() + in.size());  // y, scale, dX
        } else {
            total[0] += 4L * (out.size() + in.size());      // y, dX
        }
        return out;
    }
}
