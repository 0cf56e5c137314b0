package org.neurite.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.layers.activation.Activation;
import org.neurite.layers.activation.FusesActivation;
import org.neurite.layers.norm.Buffers;
import org.neurite.runtime.Kernels;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * A residual connection (He et al. 2016): {@code out = body(x) + shortcut(x)}, where a null
 * shortcut is the identity. The post-addition ReLU of ResNet is a separate module after this one.
 * Backward follows the accumulation rule: the input gradient is the sum of both paths' input
 * gradients, and each path adds into its own parameter gradients.
 *
 * <p>Parameter (and buffer) names are qualified by the path names; an empty name leaves a path's
 * names unqualified, so a torchvision {@code BasicBlock} maps one to one:
 * <pre>{@code
 * Sequential body = new Sequential().add("conv1", conv1).add("bn1", bn1).add("relu", Activation.relu())
 *         .add("conv2", conv2).add("bn2", bn2);
 * Sequential down = new Sequential().add("0", conv1x1Stride2).add("1", new BatchNorm2d(128));
 * Residual block = Residual.named("", body, "downsample", down);   // conv1.weight, ..., downsample.0.weight
 * Module plain = new Residual(body2, null);                          // body.conv1.weight, ...; identity shortcut
 * }</pre>
 *
 * <p>ResNet's post-addition ReLU, when it follows in a {@link Sequential}, is fused on the CPU (see
 * {@link FusesActivation}): forward writes max(body + shortcut, 0) in the same pass as the sum, and
 * backward masks the gradient once, into a buffer both paths read.
 */
public final class Residual extends Module implements Buffers.Owner, FusesActivation {
    private static final int GRAIN = 1 << 15;   // floats per parallel chunk of the additions

    private final String bodyName;
    private final Module body;
    private final String shortcutName;
    private final Module shortcut;              // null: identity
    private List<Param> params;

    private Tensor y;                           // body(x) + shortcut(x)
    private Tensor dX;                          // sum of both paths' input gradients
    private Tensor dMasked;                     // dY * relu'(y) when the ReLU is fused
    private boolean fusedRelu;                  // a following ReLU was fused into this module
    private boolean reluApplied;                // the last forward applied it (CPU only)

    /** {@code body(x) + shortcut(x)} with paths named "body" and "shortcut"; a null shortcut is the identity. */
    public Residual(Module body, Module shortcut) {
        this("body", body, "shortcut", shortcut);
    }

    private Residual(String bodyName, Module body, String shortcutName, Module shortcut) {
        if (body == null) throw new IllegalArgumentException("residual: body must not be null");
        this.bodyName = bodyName;
        this.body = body;
        this.shortcutName = shortcutName;
        this.shortcut = shortcut;
    }

    /** Paths with the given names; "" leaves a path's parameter names unqualified (they must not collide). */
    public static Residual named(String bodyName, Module body, String shortcutName, Module shortcut) {
        return new Residual(bodyName, body, shortcutName, shortcut);
    }

    public Module body() { return body; }

    /** The shortcut, or null for the identity. */
    public Module shortcut() { return shortcut; }

    @Override public List<Module> children() {
        return shortcut == null ? List.of(body) : List.of(body, shortcut);
    }

    @Override public void setNeedsInputGrad(boolean needed) {
        super.setNeedsInputGrad(needed);
        body.setNeedsInputGrad(needed);
        if (shortcut != null) shortcut.setNeedsInputGrad(needed);
    }

    @Override public Shape outputShape(Shape inputShape) {
        Shape b = body.outputShape(inputShape);
        Shape s = shortcut == null ? inputShape : shortcut.outputShape(inputShape);
        if (!b.equals(s)) throw new IllegalArgumentException("residual: body gives " + b + " but shortcut gives " + s + " for input " + inputShape);
        return b;
    }

    @Override public Tensor forward(Tensor x, Mode mode) {
        Tensor b = body.forward(x, mode);
        Tensor s = shortcut == null ? x : shortcut.forward(x, mode);
        if (!b.shape().equals(s.shape())) {
            throw new IllegalArgumentException("residual: body gives " + b.shape() + " but shortcut gives " + s.shape());
        }
        if (!Tensor.fits(y, b.shape(), b.device())) y = Tensor.zeros(b.shape(), b.device());
        reluApplied = fusedRelu && y.device().isCpu();
        if (reluApplied) {
            addRelu(b, s, y);
        } else {
            add(b, s, y);
        }
        return y;
    }

    @Override public boolean fuseActivation(Activation activation) {
        if (activation.kind() != Activation.Kind.RELU || fusedRelu) return false;
        fusedRelu = true;
        return true;
    }

    @Override public boolean isFusedOutput(Tensor t) {
        return reluApplied && t == y;
    }

    @Override public Tensor backward(Tensor dY) {
        if (y == null) throw new IllegalStateException("residual: backward before forward");
        if (reluApplied) {
            if (!dY.shape().equals(y.shape())) throw new IllegalArgumentException("residual: gradient " + dY.shape() + " for output " + y.shape());
            if (!Tensor.fits(dMasked, y.shape(), y.device())) dMasked = Tensor.zeros(y.shape(), y.device());
            float[] yd = y.data(), gd = dY.data(), md = dMasked.data();
            Parallel.forRange(md.length, GRAIN, (i0, i1) -> Kernels.reluBackward(i1 - i0, yd, i0, gd, i0, md, i0));
            dY = dMasked;
        }
        Tensor gb = body.backward(dY);
        Tensor gs = shortcut == null ? dY : shortcut.backward(dY);
        if (!needsInputGrad) return null;
        if (gb == null || gs == null) throw new IllegalStateException("residual: a path returned no input gradient");
        if (!Tensor.fits(dX, gb.shape(), gb.device())) dX = Tensor.zeros(gb.shape(), gb.device());
        add(gb, gs, dX);
        return dX;
    }

    private static void add(Tensor a, Tensor b, Tensor out) {
        if (!out.device().isCpu()) {
            org.neurite.layers.cuda.DeviceAdd.add(a, b, out, "residual");
            return;
        }
        float[] ad = a.data(), bd = b.data(), od = out.data();
        Parallel.forRange(od.length, GRAIN, (i0, i1) -> Kernels.add(i1 - i0, ad, i0, bd, i0, od, i0));
    }

    /** out = max(a + b, 0) on the CPU. */
    private static void addRelu(Tensor a, Tensor b, Tensor out) {
        float[] ad = a.data(), bd = b.data(), od = out.data();
        Parallel.forRange(od.length, GRAIN, (i0, i1) -> {
            for (int i = i0; i < i1; i++) od[i] = Math.max(ad[i] + bd[i], 0f);
        });
    }

    /** The body's parameters, then the shortcut's, qualified by the path names; built once. */
    @Override public List<Param> params() {
        if (params == null) {
            List<Param> all = new ArrayList<>();
            addQualified(all, bodyName, body);
            if (shortcut != null) addQualified(all, shortcutName, shortcut);
            params = Collections.unmodifiableList(all);
        }
        return params;
    }

    static void addQualified(List<Param> into, String prefix, Module child) {
        HashSet<String> seen = new HashSet<>();
        for (Param p : into) seen.add(p.name());
        for (Param p : child.params()) {
            Param q = prefix.isEmpty() ? p : p.withPrefix(prefix + ".");
            if (!seen.add(q.name())) throw new IllegalStateException("duplicate parameter name " + q.name());
            into.add(q);
        }
    }

    @Override public Map<String, Tensor> buffers() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        Buffers.putAll(all, bodyName, Buffers.of(body));
        if (shortcut != null) Buffers.putAll(all, shortcutName, Buffers.of(shortcut));
        return all;
    }

    @Override public void zeroGrad() {
        body.zeroGrad();
        if (shortcut != null) shortcut.zeroGrad();
    }

    /** Bytes of the tensors this container allocated itself (its paths' modules not counted). */
    public long activationBytes() {
        return 4L * ((y == null ? 0 : y.size()) + (dX == null ? 0 : dX.size()) + (dMasked == null ? 0 : dMasked.size()));
    }

    @Override public String describe() {
        return "Residual(" + body.describe() + (shortcut == null ? " + identity" : " + " + shortcut.describe()) + ")";
    }
}
