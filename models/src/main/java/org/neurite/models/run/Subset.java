package org.neurite.models.run;

import org.neurite.models.data.Dataset;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/** Some samples of a {@link Dataset}, by index: a training limit or one side of a validation split. */
public final class Subset implements Dataset {
    private final Dataset base;
    private final int[] indices;

    public Subset(Dataset base, int[] indices) {
        for (int i : indices) {
            if (i < 0 || i >= base.size()) throw new IllegalArgumentException("index " + i + " not in 0.." + (base.size() - 1));
        }
        this.base = base;
        this.indices = indices.clone();
    }

    /** The first {@code n} samples (all when {@code n} is 0 or at least the size). */
    public static Dataset first(Dataset base, int n) {
        if (n <= 0 || n >= base.size()) return base;
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        return new Subset(base, idx);
    }

    /**
     * Splits {@code base} into training and validation parts: {@code round(fraction * size)}
     * samples drawn by a shuffle seeded from {@code seed} go to validation, the rest to training,
     * each part in the original order. The same seed gives the same split.
     */
    public static Subset[] split(Dataset base, double fraction, long seed) {
        int n = base.size();
        int val = (int) Math.round(fraction * n);
        if (val < 1 || val >= n) {
            throw new IllegalArgumentException("val-split " + fraction + " of " + n + " samples leaves " + val
                    + " for validation and " + (n - val) + " for training; both need at least one");
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        new Rng(seed ^ 0x5EED_0F_5B11L).shuffle(order); // a stream of its own, apart from weights and batches
        boolean[] isVal = new boolean[n];
        for (int i = 0; i < val; i++) isVal[order[i]] = true;
        int[] trainIdx = new int[n - val];
        int[] valIdx = new int[val];
        for (int i = 0, t = 0, v = 0; i < n; i++) {
            if (isVal[i]) valIdx[v++] = i;
            else trainIdx[t++] = i;
        }
        return new Subset[] {new Subset(base, trainIdx), new Subset(base, valIdx)};
    }

    /** Index in the base data set of this subset's sample {@code i}. */
    public int baseIndex(int i) { return indices[i]; }

    @Override public int size() { return indices.length; }

    @Override public Shape sampleShape() { return base.sampleShape(); }

    @Override public int numClasses() { return base.numClasses(); }

    @Override public int label(int i) { return base.label(indices[i]); }

    @Override public void copyInput(int i, Tensor batch, int j) { base.copyInput(indices[i], batch, j); }
}
