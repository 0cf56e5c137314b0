package org.neurite.layers.loss;

import jcuda.Pointer;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.cuda.CudaChecks;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.CudaTensors;
import org.neurite.runtime.cuda.DevicePointer;
import org.neurite.runtime.cuda.KernelCatalog;

/**
 * The CUDA engine of {@link SoftmaxCrossEntropy}: the fused {@code softmax_xent_f32} kernel (one
 * block of 256 threads per row) writes each row's loss and the whole gradient
 * {@code (softmax - onehot) / N} in one pass, so the backward is free.
 *
 * <p>Host round trips, all small: the labels are read and checked on the host (the target may live
 * on either device; they are uploaded as int bit patterns in a float tensor, which the kernel reads
 * as {@code int*}); {@code argmax_rows_f32} (checks.cu) writes each row's prediction beside the row
 * losses, and the two {@code [N]} halves come back in one download for the mean (summed in row
 * order in double, as on the CPU) and the accuracy. The download waits for the stream, so a step
 * synchronises once, here.
 */
final class SoftmaxCrossEntropyCuda {
    /** Threads per row: a multiple of 32, as the kernel requires. */
    private static final int BLOCK = 256;

    private final CudaDevice device;
    private Tensor labelBits;     // [N] device: int labels as float bits
    private Tensor hostLabels;    // [N] CPU: the same bits
    private Tensor losses;        // [2N] device: row losses, then row argmax (as floats)
    private Tensor hostLosses;    // [2N] CPU
    private Tensor hostTarget;    // [N] CPU copy of a device target
    private Tensor grad;          // [N, C] device

    SoftmaxCrossEntropyCuda(CudaDevice device) {
        this.device = device;
    }

    CudaDevice device() { return device; }

    /** The gradient written by the last forward. */
    Tensor grad() { return grad; }

    /**
     * Loss and gradient of {@code output [rows, classes]} on the device; fills {@code labels},
     * {@code rowLoss} and {@code predictions} on the host like the CPU forward.
     */
    void forward(String who, Tensor output, Tensor target, int rows, int classes, int[] labels, double[] rowLoss, int[] predictions) {
        Shape s = output.shape();
        if (!Tensor.fits(grad, s, device)) {
            grad = Tensor.zeros(s, device);
            Shape r = Shape.of(rows);
            labelBits = Tensor.zeros(r, device);
            losses = Tensor.zeros(Shape.of(2 * rows), device);
            hostLabels = Tensor.zeros(r);
            hostLosses = Tensor.zeros(Shape.of(2 * rows));
            hostTarget = Tensor.zeros(r);
        }
        Tensor t = target;
        if (!target.device().isCpu()) {
            if (target.size() != rows) ClassTargets.read(who, target, rows, classes, labels); // its size message
            hostTarget.copyFrom(target);
            t = hostTarget;
        }
        ClassTargets.read(who, t, rows, classes, labels);
        float[] bits = hostLabels.data();
        for (int i = 0; i < rows; i++) bits[i] = Float.intBitsToFloat(labels[i]);
        labelBits.copyFrom(hostLabels);
        Pointer logits = CudaTensors.operand(output, device, "SoftmaxCrossEntropy", "logits");
        // Predictions first: the kernel may write its gradient over the logits. Same stream, so in order.
        CudaChecks.argmaxRows(device, rows, classes, logits, DevicePointer.at(losses.deviceStorage().address() + 4L * rows));
        device.kernels().launch(KernelCatalog.SOFTMAX_XENT, "softmax_xent_f32", rows, BLOCK, Pointer.to(
                Pointer.to(new int[] {rows}), Pointer.to(new int[] {classes}), Pointer.to(logits),
                Pointer.to(CudaTensors.pointer(labelBits)), Pointer.to(CudaTensors.pointer(losses)),
                Pointer.to(CudaTensors.pointer(grad)), Pointer.to(new float[] {1f / rows})));
        hostLosses.copyFrom(losses);
        float[] l = hostLosses.data();
        for (int r = 0; r < rows; r++) {
            rowLoss[r] = l[r];
            predictions[r] = (int) l[rows + r];
        }
    }
}
