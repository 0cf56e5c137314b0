package org.neurite.models.report;

import java.util.ArrayList;
import java.util.List;
import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.layers.Sequential;
import org.neurite.layers.loss.SoftmaxCrossEntropy;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * Caffe's {@code caffe time}: forward and backward milliseconds of each layer of a model,
 * averaged over timed iterations after warm-up ones, on random input of the model's shape and
 * random labels through softmax cross-entropy. A {@link Sequential} is timed layer by layer;
 * any other module as one row.
 */
public final class LayerTimes {
    /** One layer's figures: name, type, output shape and mean milliseconds per iteration. */
    public record Row(String name, String type, Shape output, double forwardMs, double backwardMs) { }

    private LayerTimes() { }

    /**
     * Times {@code model} on batches of {@code batch} inputs of per-sample shape {@code input}
     * with {@code classes} outputs: {@code warmup} untimed iterations, then {@code iterations}
     * timed ones. The last row is the loss.
     */
    public static List<Row> measure(Module model, Shape input, int classes, int batch, int warmup, int iterations, long seed) {
        List<String> names = new ArrayList<>();
        List<Module> layers = new ArrayList<>();
        if (model instanceof Sequential s) {
            names.addAll(s.names());
            layers.addAll(s.children());
        } else {
            names.add("model");
            layers.add(model);
        }
        int[] dims = new int[input.rank() + 1];
        dims[0] = batch;
        for (int i = 0; i < input.rank(); i++) dims[i + 1] = input.dim(i);
        Rng rng = new Rng(seed);
        Tensor x = Tensor.zeros(Shape.of(dims));
        rng.uniform(x.data(), 0, x.size(), 0f, 1f);
        Tensor y = Tensor.zeros(batch);
        for (int i = 0; i < batch; i++) y.set(i, rng.nextInt(classes));
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();

        int n = layers.size();
        long[] fwd = new long[n + 1];
        long[] bwd = new long[n + 1];
        Shape[] shapes = new Shape[n + 1];
        for (int it = 0; it < warmup + iterations; it++) {
            boolean timed = it >= warmup;
            Tensor a = x;
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                a = layers.get(i).forward(a, Mode.TRAIN);
                if (timed) fwd[i] += System.nanoTime() - t0;
                shapes[i] = a.shape();
            }
            long t0 = System.nanoTime();
            loss.forward(a, y);
            if (timed) fwd[n] += System.nanoTime() - t0;
            t0 = System.nanoTime();
            Tensor g = loss.backward();
            if (timed) bwd[n] += System.nanoTime() - t0;
            model.zeroGrad();
            for (int i = n - 1; i >= 0; i--) {
                t0 = System.nanoTime();
                g = layers.get(i).backward(g);
                if (timed) bwd[i] += System.nanoTime() - t0;
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new Row(names.get(i), layers.get(i).typeName(), shapes[i], fwd[i] / 1e6 / iterations, bwd[i] / 1e6 / iterations));
        }
        rows.add(new Row("loss", "SoftmaxCrossEntropy", Shape.of(1), fwd[n] / 1e6 / iterations, bwd[n] / 1e6 / iterations));
        return rows;
    }
}
