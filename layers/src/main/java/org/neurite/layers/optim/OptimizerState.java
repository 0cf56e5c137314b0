package org.neurite.layers.optim;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.neurite.layers.Param;
import org.neurite.runtime.Tensor;

/**
 * The per-parameter state tensors of an optimizer, keyed {@code <param name>.<key>} (e.g.
 * {@code fc1.weight.exp_avg}), and the checks that make a restored state fit the model.
 */
final class OptimizerState {
    private final String who;
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final Map<String, Tensor> view = Collections.unmodifiableMap(tensors);

    /** Checks that {@code params} is non-empty with unique names. */
    OptimizerState(String who, List<Param> params) {
        this.who = who;
        if (params.isEmpty()) throw new IllegalArgumentException(who + ": no parameters to optimize");
        Set<String> names = new HashSet<>();
        for (Param p : params) {
            if (!names.add(p.name())) throw new IllegalArgumentException(who + ": duplicate parameter name " + p.name());
        }
    }

    /** A zero tensor shaped like {@code p} on its device, registered as {@code p.name() + "." + key}. */
    Tensor add(Param p, String key) {
        Tensor t = Tensor.zeros(p.value().shape(), p.value().device());
        tensors.put(p.name() + "." + key, t);
        return t;
    }

    /** The live tensors, read-only map. */
    Map<String, Tensor> view() { return view; }

    /** Copies every saved tensor into ours; the key sets and shapes must match exactly. */
    void load(Map<String, Tensor> saved) {
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor src = saved.get(e.getKey());
            if (src == null) throw new IllegalArgumentException(who + ": saved state has no " + e.getKey());
            if (!src.shape().equals(e.getValue().shape())) {
                throw new IllegalArgumentException(who + ": saved " + e.getKey() + " has shape " + src.shape()
                        + ", the parameter has " + e.getValue().shape());
            }
        }
        for (String key : saved.keySet()) {
            if (!tensors.containsKey(key)) {
                throw new IllegalArgumentException(who + ": saved state has " + key + ", which this optimizer does not know");
            }
        }
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) e.getValue().copyFrom(saved.get(e.getKey()));
    }

    static void checkSteps(String who, long steps) {
        if (steps < 0) throw new IllegalArgumentException(who + ": negative step count " + steps);
    }
}
