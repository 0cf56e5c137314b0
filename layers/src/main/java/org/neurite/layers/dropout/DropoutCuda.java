package org.neurite.layers.dropout;

import jcuda.Pointer;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.CudaTensors;
import org.neurite.runtime.cuda.KernelCatalog;

/**
 * The CUDA engine of {@link Dropout}: the mask is drawn on the host from the module's {@link Rng}
 * with exactly the CPU rule ({@link #drawMask}: element by element, {@code nextFloat() < p ? 0 :
 * 1/(1-p)}), uploaded through the device's pinned staging buffers (asynchronous: the host draws
 * the next mask while the GPU works), and applied by the {@code dropout_apply_f32} kernel in the
 * forward ({@code y = x * mask}) and the backward ({@code dX = dY * mask}).
 *
 * <p>Why not {@code cudnnDropoutForward}: cuDNN draws its mask on the device from its own Philox
 * state, so a seed would no longer give the same masks on CPU and GPU, a CUDA run could not be
 * checked against the CPU one, and a checkpoint's RNG state would not resume the same stream. The
 * price is one host RNG pass and one upload of 4 bytes per element each training step, small next
 * to the layers dropout sits between (AlexNet's classifier: 2 x 4096 x batch floats).
 *
 * <pre>{@code
 * DropoutCuda op = new DropoutCuda(0.5f, rng, (CudaDevice) x.device());
 * op.forward(x, y);          // TRAIN: draws, uploads, applies
 * op.backward(dY, dX);
 * }</pre>
 */
public final class DropoutCuda {
    private final float p;
    private final float scale;
    private final Rng rng;
    private final CudaDevice device;
    private Tensor hostMask;    // [shape] on the CPU: the draw
    private Tensor mask;        // [shape] on the device: 0 or 1/(1-p)

    public DropoutCuda(float p, Rng rng, CudaDevice device) {
        if (!(p >= 0f && p < 1f)) throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        this.p = p;
        this.scale = 1f / (1f - p);
        this.rng = rng;
        this.device = device;
    }

    /**
     * Fills {@code mask} with 0 (probability p) or {@code 1/(1-p)}, one {@code rng.nextFloat()} per
     * element in order: the CPU {@link Dropout}'s rule, so the same Rng state gives the same mask.
     */
    public static void drawMask(Rng rng, float p, float[] mask) {
        float scale = 1f / (1f - p);
        for (int i = 0; i < mask.length; i++) mask[i] = rng.nextFloat() < p ? 0f : scale;
    }

    /** The device this engine runs on. */
    public CudaDevice device() { return device; }

    /** The mask of the last forward, on the device (null before the first). */
    public Tensor mask() { return mask; }

    /** Training forward: draws a new mask, uploads it, {@code y = x * mask}. */
    public void forward(Tensor x, Tensor y) {
        plan(x.shape());
        drawMask(rng, p, hostMask.data());
        CudaTensors.copy(hostMask, mask);
        apply(x, y, "x", "y");
    }

    /** Forward with the last mask again (finite-difference tests need a fixed function). */
    public void forwardSameMask(Tensor x, Tensor y) {
        if (mask == null || !mask.shape().equals(x.shape())) throw new IllegalStateException("dropout: no mask of shape " + x.shape() + " drawn yet");
        apply(x, y, "x", "y");
    }

    /** {@code dX = dY * mask} with the last forward's mask. */
    public void backward(Tensor dY, Tensor dX) {
        if (mask == null || !mask.shape().equals(dY.shape())) throw new IllegalStateException("dropout: backward of shape " + dY.shape() + " without its forward");
        apply(dY, dX, "dY", "dX");
    }

    private void plan(Shape s) {
        if (Tensor.hasShape(mask, s)) return;
        if (mask != null) mask.close();
        hostMask = Tensor.zeros(s);
        mask = CudaTensors.empty(s, device);
    }

    private void apply(Tensor in, Tensor out, String inName, String outName) {
        int n = in.size();
        if (out.size() != n || mask.size() != n) throw new IllegalArgumentException("dropout: " + outName + " " + out.shape() + " for " + inName + " " + in.shape());
        if (n == 0) return;
        device.kernels().launch(KernelCatalog.DROPOUT, "dropout_apply_f32", n, Pointer.to(Pointer.to(new int[] {n}),
                Pointer.to(CudaTensors.operand(in, device, "DropoutCuda", inName)), Pointer.to(CudaTensors.pointer(mask)),
                Pointer.to(CudaTensors.operand(out, device, "DropoutCuda", outName))));
    }

    @Override public String toString() { return "DropoutCuda(" + p + ", scale " + scale + ")"; }
}
