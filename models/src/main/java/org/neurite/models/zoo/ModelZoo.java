package org.neurite.models.zoo;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.neurite.layers.Module;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;

/** Every model Neurite can build by name, with the input it expects. */
public final class ModelZoo {
    /** A buildable model: its name, a one-line description, per-sample input shape and classes. */
    public record Spec(String name, String description, Shape inputShape, int classes, Function<Rng, Module> builder) {
        public Module build(Rng rng) { return builder.apply(rng); }
    }

    private static final Map<String, Spec> MODELS = new LinkedHashMap<>();

    static {
        register(new Spec("lenet5", "LeNet-5 with ReLU and max pooling (W1), MNIST 1x28x28",
                LeNet5.INPUT, LeNet5.CLASSES, LeNet5::build));
        register(new Spec("lenet5-1998", "LeNet-5 as published in 1998 (scaled tanh, trainable subsampling, C3 table), 1x32x32",
                LeNet1998.INPUT, LeNet1998.CLASSES, LeNet1998::build));
        // autoencoders reconstruct their input: no classes (0); train them with MSE against the input
        register(new Spec("autoencoder", "dense autoencoder 784-256-64-256-784, sigmoid output, MNIST 1x28x28",
                Autoencoder.INPUT, 0, Autoencoder::build));
        register(new Spec("denoising-autoencoder", "the autoencoder with masking noise (p 0.3) on its input in training",
                Autoencoder.INPUT, 0, Autoencoder::buildDenoising));
    }

    private ModelZoo() { }

    private static void register(Spec spec) { MODELS.put(spec.name(), spec); }

    /** The model called {@code name}; an unknown name is an error listing the known ones. */
    public static Spec get(String name) {
        Spec s = MODELS.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown model '" + name + "' (known: " + String.join(", ", MODELS.keySet()) + ")");
        }
        return s;
    }

    public static Collection<Spec> all() { return Collections.unmodifiableCollection(MODELS.values()); }
}
