package org.neurite.layers.norm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.layers.Module;
import org.neurite.layers.Sequential;
import org.neurite.runtime.Tensor;

/**
 * Named non-learnable state that a checkpoint must save beside the parameters: batch norm's
 * {@code running_mean} and {@code running_var}, under the same qualified names as parameters
 * (e.g. {@code layer1.0.bn1.running_mean}, as in a PyTorch state_dict).
 *
 * <p>{@link Module} has no {@code buffers()} yet; until it does, modules that own or contain
 * buffers implement {@link Owner}, and {@link #of} walks a model through {@link Owner} and
 * {@link Sequential} (qualifying by its module names).
 */
public final class Buffers {
    private Buffers() { }

    /** A module that owns buffers or contains modules that may. */
    public interface Owner {
        /** Qualified name to tensor, in a fixed order; the tensors are live (not copies). */
        Map<String, Tensor> buffers();
    }

    /** The buffers of {@code module} and everything under it, qualified, in model order. */
    public static Map<String, Tensor> of(Module module) {
        if (module instanceof Owner o) return o.buffers();
        if (module instanceof Sequential s) {
            Map<String, Tensor> all = new LinkedHashMap<>();
            List<String> names = s.names();
            for (int i = 0; i < names.size(); i++) putAll(all, names.get(i), of(s.children().get(i)));
            return Collections.unmodifiableMap(all);
        }
        return Map.of();
    }

    /** Adds {@code child}'s buffers under {@code prefix + "."} (no dot for an empty prefix). */
    public static void putAll(Map<String, Tensor> into, String prefix, Map<String, Tensor> child) {
        for (Map.Entry<String, Tensor> e : child.entrySet()) {
            String name = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (into.put(name, e.getValue()) != null) throw new IllegalStateException("duplicate buffer name " + name);
        }
    }
}
