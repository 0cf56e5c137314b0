package org.neurite.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.neurite.layers.activation.Activation;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * Runs named modules one after the other; parameter names are qualified by the module names.
 * An {@link Activation} added right after a module that can apply it itself (a convolution's
 * fused bias + ReLU, {@link org.neurite.layers.activation.FusesActivation}) is fused into that
 * module: it stays in the list, and passes its input and gradient through.
 */
public final class Sequential extends Module {
    private final List<String> names = new ArrayList<>();
    private final List<Module> modules = new ArrayList<>();
    private List<Param> params;

    public Sequential add(String name, Module module) {
        if (names.contains(name)) throw new IllegalArgumentException("duplicate module name " + name);
        if (!modules.isEmpty() && module instanceof Activation a) a.fuseInto(modules.get(modules.size() - 1));
        names.add(name);
        modules.add(module);
        params = null;
        propagateNeedsInputGrad();
        return this;
    }

    public List<String> names() { return Collections.unmodifiableList(names); }

    public Module get(String name) {
        int i = names.indexOf(name);
        if (i < 0) throw new IllegalArgumentException("no module named " + name);
        return modules.get(i);
    }

    @Override public List<Module> children() { return Collections.unmodifiableList(modules); }

    @Override public void setNeedsInputGrad(boolean needed) {
        super.setNeedsInputGrad(needed);
        propagateNeedsInputGrad();
    }

    /**
     * A module needs its input gradient when this container's input needs one or a module before
     * it has parameters; otherwise its backward may skip that work (a first convolution, or an
     * RNN behind a one-hot encoding) and return null.
     */
    private void propagateNeedsInputGrad() {
        boolean needed = needsInputGrad;
        for (Module m : modules) {
            m.setNeedsInputGrad(needed);
            needed = needed || !m.params().isEmpty();
        }
    }

    @Override public Shape outputShape(Shape inputShape) {
        Shape s = inputShape;
        for (Module m : modules) s = m.outputShape(s);
        return s;
    }

    @Override public Tensor forward(Tensor input, Mode mode) {
        Tensor x = input;
        for (int i = 0; i < modules.size(); i++) x = modules.get(i).forward(x, mode); // no iterator: no garbage per step
        return x;
    }

    @Override public Tensor backward(Tensor gradOutput) {
        Tensor g = gradOutput;
        for (int i = modules.size() - 1; i >= 0; i--) {
            g = modules.get(i).backward(g);
            if (g == null) {
                // Allowed only where nothing below learns (see propagateNeedsInputGrad).
                for (int j = 0; j < i; j++) {
                    if (!modules.get(j).params().isEmpty()) {
                        throw new IllegalStateException(names.get(i) + " returned no input gradient, but " + names.get(j) + " below it has parameters");
                    }
                }
                return null;
            }
        }
        return g;
    }

    /** Qualified parameters, built once (the module list is fixed once training starts). */
    @Override public List<Param> params() {
        if (params == null) {
            List<Param> all = new ArrayList<>();
            for (int i = 0; i < modules.size(); i++) {
                for (Param p : modules.get(i).params()) all.add(p.withPrefix(names.get(i) + "."));
            }
            params = Collections.unmodifiableList(all);
        }
        return params;
    }

    @Override public void zeroGrad() {
        for (int i = 0; i < modules.size(); i++) modules.get(i).zeroGrad();
    }
}
