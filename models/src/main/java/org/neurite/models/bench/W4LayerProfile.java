package org.neurite.models.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neurite.layers.Concat;
import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.layers.Residual;
import org.neurite.layers.Sequential;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * Where a network's training step spends its time, by layer type: every leaf module is run on its
 * own, on a random input of the shape it sees inside the network, forward then backward, and the
 * times are summed per type ("Conv2d", "BatchNorm2d", "ReLU", ...). The containers' own work (the
 * residual additions and gradient sums) is not in the table, and isolated timings miss the cache
 * effects between layers: compare the sum with a measured step.
 */
public final class W4LayerProfile {
    private W4LayerProfile() { }

    private record Leaf(Module module, Shape input) { }

    /** A table of forward and backward milliseconds per step by layer type, {@code reps} runs each. */
    public static String report(Module model, Tensor sample, int reps) {
        List<Leaf> leaves = new ArrayList<>();
        collect(model, sample.shape(), leaves);
        Map<String, double[]> byType = new LinkedHashMap<>();   // type -> {forward ns, backward ns, count}
        for (Leaf leaf : leaves) {
            Tensor x = Tensor.zeros(leaf.input);
            new Rng(leaf.input.size()).normal(x.data(), 0, x.size(), 0f, 1f);
            Module m = leaf.module;
            Tensor dy = m.forward(x, Mode.TRAIN).copy();
            // warm-up and planning: as many untimed runs as timed ones, so that the first leaves
            // are not timed while the JIT still compiles the code every later leaf shares (one
            // warm-up run left the stem's backward at 86 ms against 1.6 ms once compiled)
            for (int r = 0; r < reps; r++) {
                m.forward(x, Mode.TRAIN);
                m.backward(dy);
            }
            long f = 0, b = 0;
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                m.forward(x, Mode.TRAIN);
                long t1 = System.nanoTime();
                m.backward(dy);
                long t2 = System.nanoTime();
                f += t1 - t0;
                b += t2 - t1;
            }
            String key = m.typeName() + " " + dims(leaf.input) + " -> " + dims(m.outputShape(leaf.input));
            double[] acc = byType.computeIfAbsent(key, k -> new double[3]);
            acc[0] += f / (double) reps;
            acc[1] += b / (double) reps;
            acc[2] += 1;
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "# %-36s %6s %12s %12s%n", "layer type, input -> output", "count", "forward ms", "backward ms"));
        double tf = 0, tb = 0;
        for (Map.Entry<String, double[]> e : byType.entrySet()) {
            double[] a = e.getValue();
            sb.append(String.format(Locale.ROOT, "# %-36s %6d %12.2f %12.2f%n", e.getKey(), (int) a[2], a[0] / 1e6, a[1] / 1e6));
            tf += a[0];
            tb += a[1];
        }
        sb.append(String.format(Locale.ROOT, "# %-36s %6s %12.2f %12.2f%n", "sum", "", tf / 1e6, tb / 1e6));
        return sb.toString();
    }

    /** A shape without its batch dimension: 16x32x32. */
    private static String dims(Shape s) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i < s.rank(); i++) b.append(i > 1 ? "x" : "").append(s.dim(i));
        return b.toString();
    }

    /** Leaf modules with the input shape each sees; residual and concat paths share their input. */
    private static Shape collect(Module m, Shape in, List<Leaf> out) {
        if (m instanceof Sequential s) {
            Shape x = in;
            for (Module c : s.children()) x = collect(c, x, out);
            return x;
        }
        if (m instanceof Residual || m instanceof Concat) {
            for (Module c : m.children()) collect(c, in, out);
            return m.outputShape(in);
        }
        out.add(new Leaf(m, in));
        return m.outputShape(in);
    }
}
