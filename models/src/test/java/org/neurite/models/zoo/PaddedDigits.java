package org.neurite.models.zoo;

import org.neurite.models.data.Dataset;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/** A 1x28x28 data set zero-padded by 2 on every side to 1x32x32 (LeNet-1998, CIFAR ResNets). */
final class PaddedDigits implements Dataset {
    private final Dataset base;
    private final Tensor one = Tensor.zeros(1, 1, 28, 28);

    PaddedDigits(Dataset base) {
        if (!base.sampleShape().equals(Shape.of(1, 28, 28))) throw new IllegalArgumentException("not 1x28x28: " + base.sampleShape());
        this.base = base;
    }

    @Override public int size() { return base.size(); }

    @Override public Shape sampleShape() { return Shape.of(1, 32, 32); }

    @Override public int numClasses() { return base.numClasses(); }

    @Override public int label(int i) { return base.label(i); }

    @Override public void copyInput(int i, Tensor batch, int j) {
        base.copyInput(i, one, 0);
        float[] src = one.data(), dst = batch.data();
        int o = j * 32 * 32;
        java.util.Arrays.fill(dst, o, o + 32 * 32, 0f);
        for (int r = 0; r < 28; r++) System.arraycopy(src, r * 28, dst, o + (r + 2) * 32 + 2, 28);
    }
}
