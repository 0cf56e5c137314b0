package org.neurite.models.train;

import java.util.List;
import org.neurite.layers.Param;
import org.neurite.layers.optim.Adam;
import org.neurite.layers.optim.Optimizer;
import org.neurite.layers.optim.Sgd;

/** Optimizers by name ({@code sgd}, {@code adam}), with each one's usual default learning rate. */
public final class Optimizers {
    private Optimizers() { }

    /** The learning rate {@code name} uses when none is given: 0.01 for SGD, 0.001 for Adam. */
    public static double defaultLr(String name) {
        return name.equals("adam") ? 0.001 : 0.01;
    }

    /** A new optimizer over {@code params}; {@code lr} null means {@link #defaultLr}. */
    public static Optimizer create(String name, List<Param> params, Double lr, double momentum) {
        double rate = lr == null ? defaultLr(name) : lr;
        return switch (name) {
            case "sgd" -> new Sgd(params, Sgd.Config.of(rate).withMomentum(momentum));
            case "adam" -> new Adam(params, rate);
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "' (expected sgd or adam)");
        };
    }
}
