package org.neurite.runtime.cuda;

import java.util.List;
import jcuda.Pointer;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * The training loop's per-step checks on the device (checks.cu), so a step downloads a few
 * numbers instead of whole tensors: which tensors hold a NaN or an infinity, and the argmax of
 * each row of the logits (accuracy).
 */
public final class CudaChecks {
    private CudaChecks() { }

    /**
     * For each of {@code tensors} (all on {@code device}), whether it holds a non-finite value:
     * one {@code nonfinite_flag_f32} launch per tensor into a zeroed flag buffer, then one download
     * of {@code tensors.size()} floats.
     */
    public static boolean[] nonFinite(CudaDevice device, List<Tensor> tensors) {
        int count = tensors.size();
        boolean[] bad = new boolean[count];
        if (count == 0) return bad;
        try (Tensor flags = CudaTensors.zeros(Shape.of(count), device)) {   // from the caching allocator
            Pointer pf = CudaTensors.pointer(flags);
            for (int i = 0; i < count; i++) {
                Tensor t = tensors.get(i);
                int n = t.size();
                device.kernels().launch(KernelCatalog.CHECKS, "nonfinite_flag_f32", n, Pointer.to(
                        Pointer.to(new int[] {n}), Pointer.to(CudaTensors.operand(t, device, "nonFinite", "tensor " + i)),
                        Pointer.to(pf), Pointer.to(new int[] {i})));
            }
            float[] h = flags.toCpu().data();
            for (int i = 0; i < count; i++) bad[i] = h[i] != 0f;
        }
        return bad;
    }

    /**
     * Queues {@code out[r] = argmax_j x[r, j]} (first on ties, as a float) for {@code x (rows, cols)}
     * and {@code out (rows)} on {@code device}: one thread per row, the CPU's loop.
     */
    public static void argmaxRows(CudaDevice device, int rows, int cols, Pointer x, Pointer out) {
        if (rows < 0 || cols < 1) throw new IllegalArgumentException("argmaxRows of " + rows + " x " + cols);
        if (rows == 0) return;
        device.kernels().launch(KernelCatalog.CHECKS, "argmax_rows_f32", rows, Pointer.to(
                Pointer.to(new int[] {rows}), Pointer.to(new int[] {cols}), Pointer.to(x), Pointer.to(out)));
    }

    /** The argmax of each row of {@code x [rows, cols]} on its device, downloaded: {@code rows} floats. */
    public static int[] argmaxRows(Tensor x, int rows, int cols) {
        CudaDevice d = CudaTensors.cuda(x.device());
        if ((long) rows * cols != x.size()) throw new IllegalArgumentException("argmaxRows: " + x.shape() + " is not " + rows + " x " + cols);
        int[] best = new int[rows];
        if (rows == 0) return best;
        try (Tensor out = CudaTensors.empty(Shape.of(rows), d)) {
            argmaxRows(d, rows, cols, CudaTensors.pointer(x), CudaTensors.pointer(out));
            float[] h = out.toCpu().data();
            for (int r = 0; r < rows; r++) best[r] = (int) h[r];
        }
        return best;
    }
}
