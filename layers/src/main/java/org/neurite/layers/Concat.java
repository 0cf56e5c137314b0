package org.neurite.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.layers.cuda.ChannelCopy;
import org.neurite.layers.cuda.DeviceAdd;
import org.neurite.layers.norm.Buffers;
import org.neurite.runtime.Device;
import org.neurite.runtime.Kernels;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * Runs every branch on the same input and concatenates their outputs along dimension 1, the
 * channels (Inception, Szegedy et al. 2015). The branches' outputs must agree in every other
 * dimension. Backward hands each branch its slice of the output gradient; the input gradient is
 * the sum of the branches' input gradients (the accumulation rule).
 *
 * <p>On a CUDA device the copies into and out of the concatenation are {@code cudaMemcpy2DAsync}
 * strided copies ({@link ChannelCopy}) and the gradient sum is {@code axpy_f32} ({@link DeviceAdd}).
 *
 * <p>Branch names qualify parameter and buffer names as {@link Sequential}'s do; "" leaves a
 * branch's names unqualified (torchvision's InceptionA keeps {@code branch5x5_1} and
 * {@code branch5x5_2} side by side: one unnamed branch holding a Sequential of the two).
 * <pre>{@code
 * Concat inception = new Concat()
 *         .add("branch1", conv1x1)
 *         .add("branch2", new Sequential().add("0", reduce3x3).add("1", conv3x3))
 *         .add("branch3", new Sequential().add("0", reduce5x5).add("1", conv5x5))
 *         .add("branch4", new Sequential().add("0", pool).add("1", poolProj));
 * Concat c = Concat.of(a, b, c);      // named branch1, branch2, branch3
 * }</pre>
 */
public final class Concat extends Module implements Buffers.Owner {
    private static final int GRAIN = 1 << 15;   // floats per parallel chunk of the additions

    private final List<String> names = new ArrayList<>();
    private final List<Module> branches = new ArrayList<>();
    private List<Param> params;

    private Tensor y;                       // [N, sum C_b, ...]
    private Tensor dX;                      // input-shaped: sum of the branches' input gradients
    private Tensor[] outs = new Tensor[0];  // per branch: its last output (owned by the branch)
    private Tensor[] dYs = new Tensor[0];   // per branch: its slice of dY, contiguous
    private Tensor input;                   // the last forward's input

    /** Branches named branch1, branch2, ... */
    public static Concat of(Module... branches) {
        Concat c = new Concat();
        for (int i = 0; i < branches.length; i++) c.add("branch" + (i + 1), branches[i]);
        return c;
    }

    /** Appends a branch; its output channels follow those of the branches before it. */
    public Concat add(String name, Module branch) {
        if (!name.isEmpty() && names.contains(name)) throw new IllegalArgumentException("duplicate branch name " + name);
        branch.setNeedsInputGrad(needsInputGrad);
        names.add(name);
        branches.add(branch);
        params = null;
        return this;
    }

    public List<String> names() { return Collections.unmodifiableList(names); }

    @Override public List<Module> children() { return Collections.unmodifiableList(branches); }

    @Override public void setNeedsInputGrad(boolean needed) {
        super.setNeedsInputGrad(needed);
        for (Module b : branches) b.setNeedsInputGrad(needed);
    }

    @Override public Shape outputShape(Shape inputShape) {
        Shape[] outs = new Shape[branches.size()];
        for (int b = 0; b < outs.length; b++) outs[b] = branches.get(b).outputShape(inputShape);
        return concatShape(outs);
    }

    private Shape concatShape(Shape[] outs) {
        if (outs.length == 0) throw new IllegalStateException("concat: no branches");
        int[] d = outs[0].dims();
        if (d.length < 2) throw new IllegalArgumentException("concat: branch output " + outs[0] + " has no channel dimension");
        for (int b = 1; b < outs.length; b++) {
            boolean ok = outs[b].rank() == d.length;
            for (int a = 0; ok && a < d.length; a++) ok = a == 1 || outs[b].dim(a) == d[a];
            if (!ok) throw new IllegalArgumentException("concat: branch " + label(b) + " gives " + outs[b] + ", branch " + label(0) + " gives " + outs[0]);
            d[1] += outs[b].dim(1);
        }
        return Shape.of(d);
    }

    private String label(int b) { return names.get(b).isEmpty() ? "#" + (b + 1) : names.get(b); }

    @Override public Tensor forward(Tensor x, Mode mode) {
        int nb = branches.size();
        if (outs.length != nb) {
            outs = new Tensor[nb];
            dYs = new Tensor[nb];
        }
        // Each branch owns its output, so all can run before any is copied.
        for (int b = 0; b < nb; b++) outs[b] = branches.get(b).forward(x, mode);
        plan(x.device());
        Shape ys = y.shape();
        int n = ys.dim(0), inner = ys.size() / (n * ys.dim(1)), offset = 0;
        for (int b = 0; b < nb; b++) {
            int c = outs[b].shape().dim(1);
            ChannelCopy.copy(outs[b], 0, c * inner, y, offset * inner, ys.dim(1) * inner, c * inner, n);
            offset += c;
        }
        input = x;
        return y;
    }

    /** Re-plans y and the gradient slices when a branch's output shape or the device changed. */
    private void plan(Device device) {
        boolean same = y != null && y.device() == device;
        for (int b = 0; same && b < outs.length; b++) same = Tensor.fits(dYs[b], outs[b].shape(), device);
        if (same) return;
        Shape[] shapes = new Shape[outs.length];
        for (int b = 0; b < outs.length; b++) shapes[b] = outs[b].shape();
        Shape s = concatShape(shapes);
        // Replaced buffers go back to the device's allocator (close is a no-op on the CPU).
        if (!Tensor.fits(y, s, device)) {
            if (y != null) y.close();
            y = Tensor.zeros(s, device);
        }
        for (int b = 0; b < outs.length; b++) {
            if (!Tensor.fits(dYs[b], shapes[b], device)) {
                if (dYs[b] != null) dYs[b].close();
                dYs[b] = Tensor.zeros(shapes[b], device);
            }
        }
    }

    @Override public Tensor backward(Tensor dY) {
        if (input == null) throw new IllegalStateException("concat: backward before forward");
        if (!dY.shape().equals(y.shape())) {
            throw new IllegalArgumentException("concat: gradient " + dY.shape() + " does not match output " + y.shape());
        }
        if (needsInputGrad && !Tensor.fits(dX, input.shape(), input.device())) dX = Tensor.zeros(input.shape(), input.device());
        Shape ys = y.shape();
        int n = ys.dim(0), inner = ys.size() / (n * ys.dim(1)), offset = 0;
        for (int b = 0; b < branches.size(); b++) {
            int c = dYs[b].shape().dim(1);
            ChannelCopy.copy(dY, offset * inner, ys.dim(1) * inner, dYs[b], 0, c * inner, c * inner, n);
            offset += c;
            Tensor g = branches.get(b).backward(dYs[b]);
            if (!needsInputGrad) continue;
            if (g == null) throw new IllegalStateException("concat: branch " + label(b) + " returned no input gradient");
            if (!dX.device().isCpu()) {
                if (b == 0) dX.copyFrom(g);
                else DeviceAdd.add(dX, g, dX, "concat");   // dX += g: copy-free, axpy on the stream
                continue;
            }
            float[] gd = g.data(), dx = dX.data();
            if (b == 0) {
                System.arraycopy(gd, 0, dx, 0, dx.length);
            } else {
                Parallel.forRange(dx.length, GRAIN, (i0, i1) -> Kernels.add(i1 - i0, dx, i0, gd, i0, dx, i0));
            }
        }
        return needsInputGrad ? dX : null;
    }

    @Override public List<Param> params() {
        if (params == null) {
            List<Param> all = new ArrayList<>();
            for (int b = 0; b < branches.size(); b++) Residual.addQualified(all, names.get(b), branches.get(b));
            params = Collections.unmodifiableList(all);
        }
        return params;
    }

    @Override public Map<String, Tensor> buffers() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        for (int b = 0; b < branches.size(); b++) Buffers.putAll(all, names.get(b), Buffers.of(branches.get(b)));
        return all;
    }

    @Override public void zeroGrad() {
        for (Module b : branches) b.zeroGrad();
    }

    /** Bytes of the tensors this container allocated itself (its branches' modules not counted). */
    public long activationBytes() {
        long f = (y == null ? 0 : y.size()) + (dX == null ? 0 : dX.size());
        for (Tensor t : dYs) f += t == null ? 0 : t.size();
        return 4 * f;
    }

    @Override public String describe() { return "Concat(" + branches.size() + " branches)"; }
}
