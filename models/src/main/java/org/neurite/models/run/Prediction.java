package org.neurite.models.run;

import java.util.ArrayList;
import java.util.List;
import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.runtime.Tensor;

/** A class and its softmax probability; {@link #top} ranks a model's answer for one input. */
public record Prediction(int label, double probability) {
    /** The {@code k} most probable classes for input {@code x} [1, ...], most probable first. */
    public static List<Prediction> top(Module model, Tensor x, int k) {
        Tensor logits = model.forward(x, Mode.EVAL); // [1, classes]
        float[] z = logits.data();
        int c = logits.shape().stride0();
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) max = Math.max(max, z[j]);
        double[] p = new double[c];
        double sum = 0;
        for (int j = 0; j < c; j++) sum += p[j] = Math.exp(z[j] - max); // shifted: no overflow
        List<Prediction> all = new ArrayList<>();
        for (int j = 0; j < c; j++) all.add(new Prediction(j, p[j] / sum));
        all.sort((a, b) -> Double.compare(b.probability, a.probability));
        return all.subList(0, Math.min(k, c));
    }
}
