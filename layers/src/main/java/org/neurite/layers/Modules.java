package org.neurite.layers;

import java.util.IdentityHashMap;
import java.util.Map;
import org.neurite.layers.norm.Buffers;
import org.neurite.runtime.Device;
import org.neurite.runtime.Tensor;

/**
 * Whole-model operations that walk a module tree. {@link #moveTo} puts a model on a device before
 * its optimizer is built:
 * <pre>{@code
 * Sequential model = LeNet5.build(rng);
 * Modules.moveTo(model, device);                  // params, grads, batch-norm buffers
 * Optimizer opt = new Sgd(model.params(), cfg);   // after the move: it binds to the storage
 * }</pre>
 */
public final class Modules {
    private Modules() { }

    /**
     * Moves every parameter value and gradient of {@code model}, and its batch-norm running
     * statistics ({@link Buffers}), to {@code device} in place ({@link Tensor#moveTo}): the
     * {@link Param}s and tensors stay the same objects, so names, shapes and references held
     * elsewhere (checkpoints, tied weights) are kept. Modules plan their activations on their
     * input's device at the next forward. Optimizers bind to the parameters' storage when built,
     * so build them after the move.
     *
     * @return the number of distinct tensors moved (shared tensors count once)
     */
    public static int moveTo(Module model, Device device) {
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        for (Param p : model.params()) {
            move(p.value(), device, seen);
            move(p.grad(), device, seen);
        }
        for (Tensor t : Buffers.of(model).values()) move(t, device, seen);
        return seen.size();
    }

    private static void move(Tensor t, Device device, Map<Tensor, Boolean> seen) {
        if (seen.put(t, Boolean.TRUE) == null) t.moveTo(device);
    }
}
