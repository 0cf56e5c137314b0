package org.neurite.layers.loss;

import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/** Reading and checking class-index targets for classification losses (package helper). */
final class ClassTargets {
    private ClassTargets() { }

    /** Number of classes of an output {@code [..., C]}: its last dimension. */
    static int classes(String who, Shape output) {
        if (output.rank() < 2) {
            throw new IllegalArgumentException(who + " expects output [N, C], got " + output);
        }
        return output.dim(-1);
    }

    /**
     * Copies {@code target} (class indices stored as floats, one per output row) into {@code labels},
     * checking that each is an integer in [0, classes).
     */
    static void read(String who, Tensor target, int rows, int classes, int[] labels) {
        if (target.size() != rows) {
            throw new IllegalArgumentException(who + ": target " + target.shape() + " has " + target.size()
                    + " values, expected one class index per output row (" + rows + ")");
        }
        float[] t = target.data();
        for (int i = 0; i < rows; i++) {
            float v = t[i];
            int c = (int) v;
            if (c != v || c < 0 || c >= classes) {
                throw new IllegalArgumentException(who + ": target[" + i + "] = " + v
                        + " is not a class index (an integer in [0, " + classes + "))");
            }
            labels[i] = c;
        }
    }
}
