package org.neurite.models.data;

import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * A labelled data set held in memory: samples of one fixed shape, each with a class index.
 * A {@link DataLoader} batches any implementation; image, CIFAR and text readers implement it.
 *
 * <p>Implementations must be safe to read from one background thread while no one writes them
 * (the loader's prefetch thread calls {@link #copyInput} and {@link #label}).
 */
public interface Dataset {
    /** Number of samples. */
    int size();

    /** Shape of one sample, without the batch dimension, e.g. {@code [1, 28, 28]}. */
    Shape sampleShape();

    /** Number of classes; labels lie in {@code 0..numClasses()-1}. */
    int numClasses();

    /** Class index of sample {@code i}. */
    int label(int i);

    /**
     * Writes sample {@code i} into row {@code j} of {@code batch}, a CPU tensor of shape
     * {@code [B, sampleShape...]} with {@code j < B}.
     */
    void copyInput(int i, Tensor batch, int j);
}
