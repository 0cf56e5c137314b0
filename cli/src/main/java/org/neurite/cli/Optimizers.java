package org.neurite.cli;

import java.util.List;
import org.neurite.layers.Param;
import org.neurite.layers.optim.Adam;
import org.neurite.layers.optim.Optimizer;
import org.neurite.layers.optim.Sgd;

/** Maps the --optimizer flag to an optimizer, with each one's usual default learning rate. */
final class Optimizers {
    private Optimizers() { }

    static void check(String name) {
        if (!name.equals("sgd") && !name.equals("adam")) {
            throw new UsageException("--optimizer: unknown optimizer '" + name + "' (expected sgd or adam)");
        }
    }

    static Optimizer create(String name, List<Param> params, Double lr, double momentum) {
        check(name);
        return switch (name) {
            case "sgd" -> new Sgd(params, Sgd.Config.of(lr == null ? 0.01 : lr).withMomentum(momentum));
            default -> new Adam(params, lr == null ? 0.001 : lr);
        };
    }
}
