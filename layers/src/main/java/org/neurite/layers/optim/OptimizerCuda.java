package org.neurite.layers.optim;

import jcuda.Pointer;
import org.neurite.layers.Param;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.CudaTensors;
import org.neurite.runtime.cuda.KernelCatalog;

/**
 * The CUDA update paths of the optimizers: one launch of {@code sgd_momentum_f32},
 * {@code adam_f32}, {@code adagrad_f32} or {@code rmsprop_f32} (optimizers.cu) per parameter on the
 * parameter's device, queued on its stream.
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

    /** AdaGrad step on the device; {@code s} is the sum of squared gradients. */
    static void adagrad(CudaDevice d, Tensor w, Tensor g, Tensor s, float lr, float eps, float wd) {
        int n = w.size();
        d.kernels().launch(KernelCatalog.OPTIMIZERS, "adagrad_f32", n, Pointer.to(
                Pointer.to(new int[] {n}), Pointer.to(CudaTensors.operand(w, d, "AdaGrad", "w")),
                Pointer.to(CudaTensors.operand(g, d, "AdaGrad", "dw")), Pointer.to(CudaTensors.operand(s, d, "AdaGrad", "sum")),
                Pointer.to(new float[] {lr}), Pointer.to(new float[] {eps}), Pointer.to(new float[] {wd})));
    }

    /**
     * RMSProp step on the device; {@code b} (momentum buffer) and {@code a} (gradient average,
     * centered) are null when off. {@code oneMinusAlpha} is rounded from double once, as on the CPU.
     */
    static void rmsprop(CudaDevice d, Tensor w, Tensor g, Tensor v, Tensor b, Tensor a, float lr, float alpha,
            float oneMinusAlpha, float eps, float momentum, float wd) {
        int n = w.size();
        Pointer pg = CudaTensors.operand(g, d, "RMSProp", "dw");
        // The kernel never reads a buffer that is off: pass the gradient's address for it.
        Pointer pb = b == null ? pg : CudaTensors.operand(b, d, "RMSProp", "momentum_buffer");
        Pointer pa = a == null ? pg : CudaTensors.operand(a, d, "RMSProp", "grad_avg");
        d.kernels().launch(KernelCatalog.OPTIMIZERS, "rmsprop_f32", n, Pointer.to(
                Pointer.to(new int[] {n}), Pointer.to(CudaTensors.operand(w, d, "RMSProp", "w")), Pointer.to(pg),
                Pointer.to(CudaTensors.operand(v, d, "RMSProp", "square_avg")), Pointer.to(pb), Pointer.to(pa),
                Pointer.to(new float[] {lr}), Pointer.to(new float[] {alpha}), Pointer.to(new float[] {oneMinusAlpha}),
                Pointer.to(new float[] {eps}), Pointer.to(new float[] {momentum}), Pointer.to(new float[] {wd}),
                Pointer.to(new int[] {b == null ? 0 : 1}), Pointer.to(new int[] {a == null ? 0 : 1})));
    }

    /**
     * The error of a step whose CPU parameter has moved since the optimizer was built: the update
     * would write the stale host arrays and training would silently stop.
     */
    static IllegalStateException movedAfterBuild(String who, Param p) {
        return new IllegalStateException(who + ": " + p.name() + " moved to " + p.value().device()
                + " after the optimizer was built; build it after Modules.moveTo");
    }
}
