package org.neurite.models.train;

import java.util.ArrayList;
import java.util.List;
import org.neurite.layers.Param;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.cuda.CudaChecks;
import org.neurite.runtime.cuda.CudaDevice;

/**
 * Finds parameters whose gradient or value holds a NaN or an infinity. Allocates nothing on the
 * CPU. Gradients that all live on one CUDA device are checked there (one flag per parameter comes
 * back, not the gradients); other device tensors are downloaded.
 */
public final class NonFinite {
    private NonFinite() { }

    /**
     * The first parameter, in backward order (output layer first, as backpropagation computes
     * them), whose gradient is not finite; null when all are finite.
     */
    public static Param firstBadGradient(List<Param> params) {
        CudaDevice d = commonDevice(params);
        if (d != null) {
            List<Tensor> grads = new ArrayList<>(params.size());
            for (Param p : params) grads.add(p.grad());
            boolean[] bad = CudaChecks.nonFinite(d, grads);
            for (int i = params.size() - 1; i >= 0; i--) {
                if (bad[i]) return params.get(i);
            }
            return null;
        }
        for (int i = params.size() - 1; i >= 0; i--) {
            if (!allFinite(params.get(i).grad())) return params.get(i);
        }
        return null;
    }

    /** The CUDA device every gradient of {@code params} lives on, or null (none, the CPU, or several devices). */
    static CudaDevice commonDevice(List<Param> params) {
        if (params.isEmpty() || !(params.get(0).grad().device() instanceof CudaDevice d)) return null;
        for (Param p : params) {
            if (p.grad().device() != d) return null;
        }
        return d;
    }

    /** The first parameter, in model order, whose value is not finite; null when all are finite. */
    public static Param firstBadValue(List<Param> params) {
        for (int i = 0; i < params.size(); i++) {
            if (!allFinite(params.get(i).value())) return params.get(i);
        }
        return null;
    }

    /** Why loss {@code l} of input {@code x} is not finite: broken weights, bad data, or an overflow. */
    public static String explainLoss(double l, Tensor x, List<Param> params) {
        Param w = firstBadValue(params);
        if (w != null) return "the weights of " + w.name() + " are no longer finite (loss " + l + ")";
        if (!allFinite(x)) return "the loss is " + l + " because the input batch holds NaN or Inf values";
        return "the loss is " + l + " with finite weights and inputs: the forward pass overflowed (largest weights: "
                + largestValue(params) + ")";
    }

    /** "fc1.weight (max |w| 3.1e+12)": the parameter with the largest magnitude, to explain an overflow. */
    public static String largestValue(List<Param> params) {
        String name = "";
        float max = -1;
        for (Param p : params) {
            float[] a = p.value().toCpu().data();
            for (float v : a) {
                if (Math.abs(v) > max) {
                    max = Math.abs(v);
                    name = p.name();
                }
            }
        }
        return String.format(java.util.Locale.ROOT, "%s (max |w| %.3g)", name, max);
    }

    /** Whether every element of {@code t} is finite. */
    public static boolean allFinite(Tensor t) {
        // A device tensor is checked on the host: one download (the only allocation here).
        float[] a = t.toCpu().data();
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i]) <= Float.MAX_VALUE)) return false; // false for NaN too
        }
        return true;
    }
}
