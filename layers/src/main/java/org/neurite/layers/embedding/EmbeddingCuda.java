package org.neurite.layers.embedding;

import jcuda.Pointer;
import org.neurite.runtime.Device;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.CudaTensors;
import org.neurite.runtime.cuda.KernelCatalog;

/**
 * The CUDA engine of {@link Embedding} and {@link OneHot} (embedding.cu). The ids are downloaded
 * once per forward (N*T floats, one wait for the stream) so that every id is checked exactly as on
 * the CPU, with the same message, before a kernel reads it; the kernels read the ids from the
 * device tensor itself. Forward: {@code embedding_gather_f32} or {@code one_hot_f32}. Backward:
 * the positions are grouped by id on the host ({@link EmbeddingRows}), uploaded, and
 * {@code embedding_scatter_add_f32} adds each id's rows in position order: no float atomics,
 * deterministic, the CPU's sums.
 */
final class EmbeddingCuda {
    private final CudaDevice device;
    private final String who;
    private Tensor hostIds;     // [n] on the CPU: the last forward's ids, downloaded
    private int[] ids;          // the checked ids
    private Tensor rows;        // [n] on the device: the distinct ids of the last backward
    private Tensor offsets;     // [n + 1]
    private Tensor positions;   // [n]

    EmbeddingCuda(String who, CudaDevice device) {
        this.who = who;
        this.device = device;
    }

    /** The engine for {@code device}: the one place the CUDA engine of {@code who} is chosen. */
    static EmbeddingCuda on(String who, Device device) {
        return new EmbeddingCuda(who, CudaTensors.cuda(device));
    }

    CudaDevice device() { return device; }

    /** Downloads and checks the ids of {@code x} (ids on the device, or on the host for a small batch). */
    int[] check(Tensor x, int vocab) {
        int n = x.size();
        if (hostIds == null || hostIds.size() != n) {
            hostIds = Tensor.zeros(Shape.of(n));
            ids = new int[n];
        }
        hostIds.copyFrom(x);
        float[] h = hostIds.data();
        for (int i = 0; i < n; i++) ids[i] = TokenIds.at(who, h, i, vocab);
        return ids;
    }

    /** y[p] = w[ids[p]]: x holds the ids on this device, w is [vocab, dim], y [n, dim]. */
    void gather(Tensor x, Tensor w, Tensor y, int dim) {
        int n = x.size();
        check(x, w.shape().dim(0));
        if ((long) n * dim == 0) return;
        device.kernels().launch(KernelCatalog.EMBEDDING, "embedding_gather_f32", (long) n * dim, Pointer.to(
                Pointer.to(new int[] {n}), Pointer.to(new int[] {dim}), Pointer.to(ptr(x, "ids")), Pointer.to(ptr(w, "weight")),
                Pointer.to(ptr(y, "y"))));
    }

    /** dW[ids[p]] += dY[p] for every position p of the last {@link #gather}, in position order per row. */
    void scatterAdd(Tensor dY, Tensor dW, int dim) {
        int n = ids.length;
        EmbeddingRows g = EmbeddingRows.group(ids);
        if (!Tensor.fits(positions, Shape.of(n), device)) {
            for (Tensor t : new Tensor[] {rows, offsets, positions}) if (t != null) t.close();
            rows = CudaTensors.empty(Shape.of(n), device);
            offsets = CudaTensors.empty(Shape.of(n + 1), device);
            positions = CudaTensors.empty(Shape.of(n), device);
        }
        if ((long) g.unique() * dim == 0) return;
        rows.copyFrom(Tensor.wrap(Shape.of(n), g.rows()));
        offsets.copyFrom(Tensor.wrap(Shape.of(n + 1), g.offsets()));
        positions.copyFrom(Tensor.wrap(Shape.of(n), g.positions()));
        device.kernels().launch(KernelCatalog.EMBEDDING, "embedding_scatter_add_f32", (long) g.unique() * dim, Pointer.to(
                Pointer.to(new int[] {g.unique()}), Pointer.to(new int[] {dim}), Pointer.to(CudaTensors.pointer(rows)),
                Pointer.to(CudaTensors.pointer(offsets)), Pointer.to(CudaTensors.pointer(positions)), Pointer.to(ptr(dY, "dY")),
                Pointer.to(ptr(dW, "weight.grad"))));
    }

    /** y[p] = one-hot of ids[p] over vocab: every element of y [n, vocab] written. */
    void oneHot(Tensor x, Tensor y, int vocab) {
        int n = x.size();
        check(x, vocab);
        if ((long) n * vocab == 0) return;
        device.kernels().launch(KernelCatalog.EMBEDDING, "one_hot_f32", (long) n * vocab, Pointer.to(
                Pointer.to(new int[] {n}), Pointer.to(new int[] {vocab}), Pointer.to(ptr(x, "ids")), Pointer.to(ptr(y, "y"))));
    }

    private Pointer ptr(Tensor t, String name) {
        return CudaTensors.operand(t, device, who, name);
    }
}
