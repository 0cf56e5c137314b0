package org.neurite.layers.loss;

import jcuda.Pointer;
import org.neurite.runtime.Device;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.CudaTensors;
import org.neurite.runtime.cuda.KernelCatalog;

/**
 * The CUDA engine of {@link MeanSquaredError}, {@link BinaryCrossEntropy} and
 * {@link MultiMarginHinge} (losses.cu): one kernel writes the gradient of the mean loss and one
 * double partial sum per block, then {@code loss_finish_f32} adds the partials in a fixed order
 * and writes the loss and the target check into two floats, the step's one download. The grid
 * depends only on the size ({@link #blocksFor}), never on the GPU, and no float atomics are used,
 * so a loss is the same bits on every run.
 *
 * <p>A CPU target is uploaded into a buffer kept for the next step; a target on the device is
 * used where it is. Class labels (hinge) are read and checked on the host as the CPU engine does.
 */
final class LossesCuda {
    /** Threads per block of every loss kernel: a multiple of 32, as the block reductions need. */
    static final int BLOCK = 256;
    /** Most blocks (partial sums) of an element-wise loss. */
    static final int MAX_BLOCKS = 1024;

    private final CudaDevice device;
    private Tensor grad;        // output-shaped, device
    private Tensor partials;    // [2 * blocks] device: one double per block (or per row for the hinge)
    private Tensor bad;         // [blocks] device: per block, the first index of a target outside [0, 1]
    private Tensor deviceTarget; // the upload of a CPU target
    private Tensor hostTarget;  // the download of a device target (class labels)
    private Tensor labelBits;   // [N] device: int labels as float bits
    private Tensor hostLabels;  // [N] CPU: the same bits
    private final Tensor out;   // [2] device: loss, (first bad index + 1) as int bits
    private final Tensor hostOut = Tensor.zeros(2);

    private LossesCuda(CudaDevice device) {
        this.device = device;
        this.out = Tensor.zeros(Shape.of(2), device);
    }

    /** {@code current} when it runs on {@code device}, else a new engine there. */
    static LossesCuda on(LossesCuda current, Device device) {
        return current != null && current.device == device ? current : new LossesCuda(CudaTensors.cuda(device));
    }

    /** Blocks (and partial sums) for {@code n} elements: ceil(n / 256), between 1 and 1024; a function of n alone. */
    static int blocksFor(int n) {
        return (int) Math.max(1, Math.min(MAX_BLOCKS, (n + (long) BLOCK - 1) / BLOCK));
    }

    /** The index the finish kernel reported as the first bad target, or -1: it writes index + 1, 0 for none. */
    static int firstBad(float bits) {
        return Float.floatToRawIntBits(bits) - 1;
    }

    /** The gradient written by the last forward. */
    Tensor grad() { return grad; }

    /** Mean squared error of {@code output} against {@code target} (same size, checked by the caller). */
    double mse(Tensor output, Tensor target) {
        int n = output.size();
        int blocks = plan(output.shape(), blocksFor(n));
        device.kernels().launch(KernelCatalog.LOSSES, "mse_f32", blocks, BLOCK, Pointer.to(
                Pointer.to(new int[] {n}), Pointer.to(operand(output, "output")), Pointer.to(targetOnDevice(target)),
                Pointer.to(CudaTensors.pointer(grad)), Pointer.to(new float[] {2f / n}),
                Pointer.to(CudaTensors.pointer(partials))));
        return finish(blocks, null, 1.0 / n)[0];
    }

    /**
     * Binary cross-entropy on logits; a target outside [0, 1] is the CPU engine's error, found by
     * the kernel and reported after the one download.
     */
    double bce(String who, Tensor output, Tensor target) {
        int n = output.size();
        int blocks = plan(output.shape(), blocksFor(n));
        if (!Tensor.fits(bad, Shape.of(blocks), device)) bad = CudaTensors.empty(Shape.of(blocks), device);
        device.kernels().launch(KernelCatalog.LOSSES, "bce_logits_f32", blocks, BLOCK, Pointer.to(
                Pointer.to(new int[] {n}), Pointer.to(operand(output, "output")), Pointer.to(targetOnDevice(target)),
                Pointer.to(CudaTensors.pointer(grad)), Pointer.to(new float[] {1f / n}),
                Pointer.to(CudaTensors.pointer(partials)), Pointer.to(CudaTensors.pointer(bad))));
        double[] r = finish(blocks, bad, 1.0 / n);
        int i = (int) r[1];
        if (i >= 0) {
            float ti = target.toCpu().data()[i];
            throw new IllegalArgumentException(who + ": target[" + i + "] = " + ti + " is not a probability in [0, 1]");
        }
        return r[0];
    }

    /** Multi-class hinge of {@code output [rows, classes]}; fills {@code labels} from the target, checked on the host. */
    double hinge(String who, Tensor output, Tensor target, int rows, int classes, int[] labels) {
        plan(output.shape(), rows);
        Shape r = Shape.of(rows);
        if (!Tensor.fits(labelBits, r, device)) {
            labelBits = Tensor.zeros(r, device);
            hostLabels = Tensor.zeros(r);
        }
        ClassTargets.read(who, onHost(who, target, rows, classes, labels), rows, classes, labels);
        float[] bits = hostLabels.data();
        for (int i = 0; i < rows; i++) bits[i] = Float.intBitsToFloat(labels[i]);
        labelBits.copyFrom(hostLabels);
        device.kernels().launch(KernelCatalog.LOSSES, "hinge_f32", rows, BLOCK, Pointer.to(
                Pointer.to(new int[] {rows}), Pointer.to(new int[] {classes}), Pointer.to(operand(output, "output")),
                Pointer.to(CudaTensors.pointer(labelBits)), Pointer.to(CudaTensors.pointer(grad)),
                Pointer.to(new float[] {1f / ((float) classes * rows)}), Pointer.to(CudaTensors.pointer(partials))));
        return finish(rows, null, 1.0 / rows)[0];
    }

    /** Output-shaped gradient and {@code count} double partials, reused while the shapes stay. */
    private int plan(Shape output, int count) {
        if (!Tensor.fits(grad, output, device)) grad = CudaTensors.empty(output, device);
        if (!Tensor.fits(partials, Shape.of(2 * count), device)) partials = CudaTensors.empty(Shape.of(2 * count), device);
        return count;
    }

    /** Adds the partials on the device and downloads {loss, first bad index or -1}; waits for the stream. */
    private double[] finish(int count, Tensor badOrNull, double scale) {
        Pointer badPointer = badOrNull == null ? new Pointer() : CudaTensors.pointer(badOrNull);  // NULL: no target check
        device.kernels().launch(KernelCatalog.LOSSES, "loss_finish_f32", 1, BLOCK, Pointer.to(
                Pointer.to(new int[] {count}), Pointer.to(CudaTensors.pointer(partials)), Pointer.to(badPointer),
                Pointer.to(new double[] {scale}), Pointer.to(CudaTensors.pointer(out))));
        hostOut.copyFrom(out);
        float[] h = hostOut.data();
        return new double[] {h[0], firstBad(h[1])};
    }

    private Pointer operand(Tensor t, String name) {
        return CudaTensors.operand(t, device, "loss", name);
    }

    /** The target on this device: itself, or its upload into a buffer kept for the next step. */
    private Pointer targetOnDevice(Tensor target) {
        if (!target.device().isCpu()) return operand(target, "target");
        if (!Tensor.fits(deviceTarget, target.shape(), device)) deviceTarget = CudaTensors.empty(target.shape(), device);
        deviceTarget.copyFrom(target);
        return CudaTensors.pointer(deviceTarget);
    }

    /** The class-index target on the host (a download when it lives on the device). */
    private Tensor onHost(String who, Tensor target, int rows, int classes, int[] labels) {
        if (target.device().isCpu()) return target;
        if (target.size() != rows) ClassTargets.read(who, target, rows, classes, labels); // its size message
        if (!Tensor.hasShape(hostTarget, target.shape())) hostTarget = Tensor.zeros(target.shape());
        hostTarget.copyFrom(target);
        return hostTarget;
    }
}
