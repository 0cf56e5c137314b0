package org.neurite.models.zoo;

import jcuda.Pointer;
import org.neurite.layers.cuda.DeviceAdd;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.CudaTensors;
import org.neurite.runtime.cuda.KernelCatalog;

/**
 * The CUDA engine of {@link Corruption}, as {@code DropoutCuda} does dropout: the noise is drawn on
 * the host from the module's {@link Rng} with exactly the CPU rule and in the same order (masking:
 * one {@code nextFloat() >= p} per element, kept as 1 or 0; Gaussian: one
 * {@code level * nextGaussian()} per element), uploaded through the device's pinned staging, and
 * applied on the device: masking by {@code dropout_apply_f32} ({@code y = x * keep}, and
 * {@code dX = dY * keep} in the backward), Gaussian noise by {@link DeviceAdd} ({@code y = x + noise};
 * its gradient passes through). So one seed corrupts the same inputs on the CPU and on the GPU.
 *
 * <p>Two float-level differences from the CPU loop: the CPU adds the noise in double and rounds once,
 * the device adds the float noise (at most one ulp apart); and a masked non-finite input becomes
 * {@code NaN * 0 = NaN} here where the CPU writes 0.
 */
final class CorruptionCuda {
    private final Corruption.Kind kind;
    private final double level;     // p for masking, sigma for Gaussian (as the CPU keeps it)
    private final Rng rng;
    private final CudaDevice device;
    private Tensor host;        // [shape] on the CPU: the draw (keep flags or noise)
    private Tensor noise;       // [shape] on the device

    CorruptionCuda(Corruption.Kind kind, double level, Rng rng, CudaDevice device) {
        this.kind = kind;
        this.level = level;
        this.rng = rng;
        this.device = device;
    }

    CudaDevice device() { return device; }

    /** Fills {@code keep} with 1 (kept) or 0, one {@code rng.nextFloat() >= p} per element: the CPU's masking rule. */
    static void drawKeep(Rng rng, double p, float[] keep) {
        float pf = (float) p;
        for (int i = 0; i < keep.length; i++) keep[i] = rng.nextFloat() >= pf ? 1f : 0f;
    }

    /** Fills {@code noise} with {@code sigma * nextGaussian()}, one per element: the CPU's Gaussian rule. */
    static void drawNoise(Rng rng, double sigma, float[] noise) {
        for (int i = 0; i < noise.length; i++) noise[i] = (float) (sigma * rng.nextGaussian());
    }

    /** Training forward into {@code y} (same shape as {@code x}, on this device): draws, uploads, applies. */
    void forward(Tensor x, Tensor y) {
        plan(x.shape());
        if (kind == Corruption.Kind.MASKING) {
            drawKeep(rng, level, host.data());
            CudaTensors.copy(host, noise);
            multiply(x, y, "x", "y");
        } else {
            drawNoise(rng, level, host.data());
            CudaTensors.copy(host, noise);
            DeviceAdd.add(x, noise, y, "Corruption");
        }
    }

    /** Masking backward: {@code dX = dY * keep} with the last forward's flags. */
    void backwardMasked(Tensor dY, Tensor dX) {
        if (noise == null || !noise.shape().equals(dY.shape())) {
            throw new IllegalStateException("Corruption: backward of shape " + dY.shape() + " without its forward");
        }
        multiply(dY, dX, "dY", "dX");
    }

    private void plan(Shape s) {
        if (Tensor.hasShape(noise, s)) return;
        if (noise != null) noise.close();
        host = Tensor.zeros(s);
        noise = CudaTensors.empty(s, device);
    }

    private void multiply(Tensor in, Tensor out, String inName, String outName) {
        int n = in.size();
        if (out.size() != n || noise.size() != n) throw new IllegalArgumentException("Corruption: " + outName + " " + out.shape() + " for " + inName + " " + in.shape());
        if (n == 0) return;
        device.kernels().launch(KernelCatalog.DROPOUT, "dropout_apply_f32", n, Pointer.to(Pointer.to(new int[] {n}),
                Pointer.to(CudaTensors.operand(in, device, "Corruption", inName)), Pointer.to(CudaTensors.pointer(noise)),
                Pointer.to(CudaTensors.operand(out, device, "Corruption", outName))));
    }
}
