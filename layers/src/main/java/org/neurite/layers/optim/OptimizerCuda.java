package org.neurite.layers.optim;

import jcuda.Pointer;
import org.neurite.layers.Param;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.CudaTensors;
import org.neurite.runtime.cuda.KernelCatalog;

/**
 * The CUDA update paths of the optimizers: one launch of {@code sgd_momentum_f32} or
 * {@code adam_f32} (optimizers.cu) per parameter on the parameter's device, queued on its stream.
 * Selected per parameter by the value's device, so a model moved with
 * {@code Modules.moveTo} before its optimizer is built updates without leaving the device.
 */
final class OptimizerCuda {
    private OptimizerCuda() { }

    /** The CUDA device of {@code p}, checking that its gradient (and state) live there too. */
    static CudaDevice deviceOf(String who, Param p) {
        CudaDevice d = CudaTensors.cuda(p.value().device());
        if (p.grad().device() != d) {
            throw new IllegalArgumentException(who + ": " + p.name() + " lives on " + d + " but its gradient on "
                    + p.grad().device() + " (move the model with Modules.moveTo)");
        }
        return d;
    }

    /** PyTorch's SGD step on the device; {@code v} null without momentum. */
    static void sgd(CudaDevice d, Tensor w, Tensor g, Tensor v, float lr, float mu, float wd, boolean nesterov) {
        int n = w.size();
        Pointer pw = CudaTensors.operand(w, d, "Sgd", "w"), pg = CudaTensors.operand(g, d, "Sgd", "dw");
        // Without momentum the kernel never reads v: pass the gradient's address for it.
        Pointer pv = v == null ? pg : CudaTensors.operand(v, d, "Sgd", "v");
        d.kernels().launch(KernelCatalog.OPTIMIZERS, "sgd_momentum_f32", n, Pointer.to(
                Pointer.to(new int[] {n}), Pointer.to(pw), Pointer.to(pg), Pointer.to(pv),
                Pointer.to(new float[] {lr}), Pointer.to(new float[] {mu}), Pointer.to(new float[] {wd}),
                Pointer.to(new int[] {nesterov ? 1 : 0})));
    }

    /** Adam / AdamW step on the device; the bias corrections are {@code 1 - beta^t}. */
    static void adam(CudaDevice d, Tensor w, Tensor g, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
            float weightDecay, float bc1, float bc2, boolean decoupled) {
        int n = w.size();
        d.kernels().launch(KernelCatalog.OPTIMIZERS, "adam_f32", n, Pointer.to(
                Pointer.to(new int[] {n}), Pointer.to(CudaTensors.operand(w, d, "Adam", "w")),
                Pointer.to(CudaTensors.operand(g, d, "Adam", "dw")), Pointer.to(CudaTensors.operand(m, d, "Adam", "m")),
                Pointer.to(CudaTensors.operand(v, d, "Adam", "v")), Pointer.to(new float[] {lr}),
                Pointer.to(new float[] {beta1}), Pointer.to(new float[] {beta2}), Pointer.to(new float[] {eps}),
                Pointer.to(new float[] {weightDecay}), Pointer.to(new float[] {bc1}), Pointer.to(new float[] {bc2}),
                Pointer.to(new int[] {decoupled ? 1 : 0})));
    }

    /**
     * The error of a step whose CPU parameter has moved since the optimizer was built: the update
     * would write the stale host arrays and training would silently stop.
     */
    static IllegalStateException movedAfterBuild(String who, Param p) {
        return new IllegalStateException(who + ": " + p.name() + " moved to " + p.value().device()
                + " after the optimizer was built; build it after Modules.moveTo");
    }

    /** The error of an optimizer without a CUDA path, for a parameter on a device. */
    static IllegalArgumentException unsupported(String who, Param p) {
        return new IllegalArgumentException(who + ": no CUDA update path (" + p.name() + " lives on " + p.value().device()
                + "); use Sgd or Adam on a CUDA device");
    }
}
