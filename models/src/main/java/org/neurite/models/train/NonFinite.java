package org.neurite.models.train;

import java.util.List;
import org.neurite.layers.Param;
import org.neurite.runtime.Tensor;

/** Finds parameters whose gradient or value holds a NaN or an infinity. Allocates nothing. */
public final class NonFinite {
    private NonFinite() { }

    /**
     * The first parameter, in backward order (output layer first, as backpropagation computes
     * them), whose gradient is not finite; null when all are finite.
     */
    public static Param firstBadGradient(List<Param> params) {
        for (int i = params.size() - 1; i >= 0; i--) {
            if (!allFinite(params.get(i).grad())) return params.get(i);
        }
        return null;
    }

    /** The first parameter, in model order, whose value is not finite; null when all are finite. */
    public static Param firstBadValue(List<Param> params) {
        for (int i = 0; i < params.size(); i++) {
            if (!allFinite(params.get(i).value())) return params.get(i);
        }
        return null;
    }

    /** Whether every element of {@code t} is finite. */
    public static boolean allFinite(Tensor t) {
        float[] a = t.data();
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i]) <= Float.MAX_VALUE)) return false; // false for NaN too
        }
        return true;
    }
}
