package org.neurite.models.zoo;

import java.util.List;
import org.neurite.layers.Module;
import org.neurite.layers.Sequential;
import org.neurite.runtime.Shape;

/**
 * A Keras-style summary (layer, output shape, parameters) computed from {@code outputShape} alone,
 * without running data.
 */
public final class ModelSummary {
    private ModelSummary() { }

    public static String of(Module model, Shape sampleShape) {
        int[] dims = sampleShape.dims();
        int[] batched = new int[dims.length + 1];
        batched[0] = 1;
        System.arraycopy(dims, 0, batched, 1, dims.length);
        Shape in = Shape.of(batched);

        StringBuilder sb = new StringBuilder();
        String fmt = "%-10s %-34s %-18s %,12d%n";
        sb.append(String.format("%-10s %-34s %-18s %12s%n", "layer", "type", "output shape", "parameters"));
        sb.append(String.format("%-10s %-34s %-18s %12s%n", "input", "", shapeWithoutBatch(in), ""));
        Shape s = in;
        if (model instanceof Sequential seq) {
            List<String> names = seq.names();
            List<Module> mods = seq.children();
            for (int i = 0; i < mods.size(); i++) {
                s = mods.get(i).outputShape(s);
                sb.append(String.format(fmt, names.get(i), mods.get(i).describe(), shapeWithoutBatch(s), mods.get(i).parameterCount()));
            }
        } else {
            s = model.outputShape(s);
            sb.append(String.format(fmt, "model", model.describe(), shapeWithoutBatch(s), model.parameterCount()));
        }
        sb.append(String.format("total parameters: %,d%n", model.parameterCount()));
        return sb.toString();
    }

    private static String shapeWithoutBatch(Shape s) {
        int[] d = s.dims();
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < d.length; i++) {
            if (i > 1) sb.append('x');
            sb.append(d[i]);
        }
        return sb.toString();
    }
}
