package org.neurite.models.data.augment;

import org.neurite.models.data.Dataset;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * A {@link Dataset} whose samples pass through an {@link Augment} as a {@code DataLoader} copies them
 * into a batch: each copy is augmented afresh, so every epoch sees new crops and flips. The base
 * sample goes through one scratch buffer made here, so assembling a batch allocates nothing.
 *
 * <p>Randomness comes from one {@code Rng(seed)} consumed in the order samples are copied. A loader
 * copies in a fixed order from a single (prefetch) thread, so a fixed seed gives the same
 * augmented batches on every run; a run resumed mid-way does not replay the draws of the epochs it
 * skipped (restore {@link #rng()}'s state for that).
 *
 * <pre>{@code
 * Dataset train = new AugmentedDataset(CifarDataset.load(dir, CifarDataset.Variant.CIFAR10, true), cifarTrain, 42);
 * DataLoader loader = DataLoader.builder(train).batchSize(128).shuffle(42).build();
 * }</pre>
 */
public final class AugmentedDataset implements Dataset {
    private final Dataset base;
    private final Augment augment;
    private final Rng rng;
    private final Tensor scratch;   // [1, C, H, W]
    private final int channels;
    private final int height;
    private final int width;

    public AugmentedDataset(Dataset base, Augment augment, long seed) {
        Shape s = base.sampleShape();
        if (s.rank() != 3) throw new IllegalArgumentException("augmentation needs [C, H, W] samples, got " + s);
        this.base = base;
        this.augment = augment;
        this.rng = new Rng(seed);
        this.channels = s.dim(0);
        this.height = s.dim(1);
        this.width = s.dim(2);
        this.scratch = Tensor.zeros(1, channels, height, width);
    }

    public Dataset base() { return base; }

    /** The random stream, for saving and restoring its state. */
    public Rng rng() { return rng; }

    @Override public int size() { return base.size(); }

    @Override public Shape sampleShape() { return base.sampleShape(); }

    @Override public int numClasses() { return base.numClasses(); }

    @Override public int label(int i) { return base.label(i); }

    @Override public void copyInput(int i, Tensor batch, int j) {
        base.copyInput(i, scratch, 0);
        int size = channels * height * width;
        augment.apply(scratch.data(), 0, batch.data(), j * size, channels, height, width, rng);
    }

    @Override public String toString() { return "AugmentedDataset[" + base + ", " + augment + "]"; }
}
