package org.neurite.models.zoo;

import java.util.List;
import org.neurite.layers.Concat;
import org.neurite.layers.Module;
import org.neurite.layers.Residual;
import org.neurite.layers.Sequential;
import org.neurite.runtime.Shape;

/**
 * A Keras-style summary (layer, output shape, parameters) computed from {@code outputShape} alone,
 * without running data. Containers ({@link Sequential}, {@link Residual}, {@link Concat}) show one
 * row with their totals; with a depth above 1 their children follow, indented, under qualified
 * names ({@code layer2.0.bn1}). A residual's paths are shown by role ({@code layer2.0[body]},
 * {@code layer2.0[shortcut]}); residual and concat paths all see the container's input. A
 * {@link org.neurite.layers.DenseBlock} is one row.
 *
 * <pre>{@code
 * System.out.print(ModelSummary.of(ResNet.resnet18(rng), ResNet.IMAGENET_INPUT));      // one row per top-level block
 * System.out.print(ModelSummary.of(ResNet.cifar(3, 10, rng), ResNet.CIFAR_INPUT, 3));  // down to the block layers
 * }</pre>
 */
public final class ModelSummary {
    private static final String FMT = "%-28s %-40s %-16s %,12d%n";

    private ModelSummary() { }

    /** The top-level modules, one row each. */
    public static String of(Module model, Shape sampleShape) {
        return of(model, sampleShape, 1);
    }

    /**
     * Rows down to {@code depth} levels of containers (1: the top-level modules). A sample shape of
     * rank 1 is a sequence of token ids, batched time-major as [T, N]; any other is batched [N, ...].
     * Shapes are shown without the batch dimension, found as the one that changes with N.
     */
    public static String of(Module model, Shape sampleShape, int depth) {
        Shape in = batched(sampleShape, 1);
        Shape in2 = batched(sampleShape, 2);

        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-28s %-40s %-16s %12s%n", "layer", "type", "output shape", "parameters"));
        sb.append(String.format("%-28s %-40s %-16s %12s%n", "input", "", withoutBatch(in, in2), ""));
        if (isContainer(model)) {
            rows(sb, model, "", in, in2, 0, depth);
        } else {
            sb.append(String.format(FMT, "model", clip(model.describe()), withoutBatch(model.outputShape(in), model.outputShape(in2)),
                    model.parameterCount()));
        }
        sb.append(String.format("total parameters: %,d%n", model.parameterCount()));
        return sb.toString();
    }

    private static boolean isContainer(Module m) {
        return m instanceof Sequential || m instanceof Residual || m instanceof Concat;
    }

    private static Shape batched(Shape sample, int n) {
        int[] dims = sample.dims();
        if (dims.length == 1) return Shape.of(dims[0], n);
        int[] b = new int[dims.length + 1];
        b[0] = n;
        System.arraycopy(dims, 0, b, 1, dims.length);
        return Shape.of(b);
    }

    /** One row per child of {@code container} (and their children while depth lasts). */
    private static void rows(StringBuilder sb, Module container, String prefix, Shape in, Shape in2, int level, int depth) {
        List<Module> kids = container.children();
        // a residual's paths are shown by role: their parameter names depend on how it was built
        List<String> names = container instanceof Sequential s ? s.names()
                : container instanceof Concat c ? c.names()
                : kids.size() == 1 ? List.of("[body]") : List.of("[body]", "[shortcut]");
        Shape s = in;
        Shape s2 = in2;
        String indent = "  ".repeat(level);
        for (int i = 0; i < kids.size(); i++) {
            Module m = kids.get(i);
            Shape childIn = container instanceof Sequential ? s : in;   // residual and concat paths share the input
            Shape childIn2 = container instanceof Sequential ? s2 : in2;
            Shape out = m.outputShape(childIn);
            Shape out2 = m.outputShape(childIn2);
            String name = names.get(i).startsWith("[") ? prefix.substring(0, Math.max(0, prefix.length() - 1)) + names.get(i)
                    : prefix + names.get(i);
            String type = isContainer(m) ? m.typeName() + (m instanceof Sequential q ? "(" + q.children().size() + ")" : "") : m.describe();
            sb.append(String.format(FMT, clip(indent + name), clip(type), withoutBatch(out, out2), m.parameterCount()));
            if (isContainer(m) && level + 1 < depth) rows(sb, m, name + ".", childIn, childIn2, level + 1, depth);
            s = out;
            s2 = out2;
        }
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    /** The dimensions of {@code one} (batch 1) except the first that differs in {@code two} (batch 2). */
    private static String withoutBatch(Shape one, Shape two) {
        int[] d = one.dims();
        int[] e = two.dims();
        int batchAxis = -1;
        for (int i = 0; i < d.length && batchAxis < 0; i++) if (i >= e.length || d[i] != e[i]) batchAxis = i;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < d.length; i++) {
            if (i == batchAxis) continue;
            if (!sb.isEmpty()) sb.append('x');
            sb.append(d[i]);
        }
        return sb.toString();
    }
}
