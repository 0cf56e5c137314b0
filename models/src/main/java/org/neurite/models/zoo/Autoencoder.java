package org.neurite.models.zoo;

import org.neurite.layers.Sequential;
import org.neurite.layers.activation.Activation;
import org.neurite.layers.dense.Dense;
import org.neurite.layers.shape.Flatten;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;

/**
 * Dense autoencoders for MNIST: 784 -> 256 -> 64 -> 256 -> 784, ReLU inside, a sigmoid output so
 * the reconstruction lies in [0, 1] like the pixels; train with mean squared error against the
 * clean input (the [N, 1, 28, 28] batch itself: MSE only needs equal element counts). 435,536
 * parameters. The denoising variant corrupts its input first, in training mode only.
 *
 * <pre>{@code
 * Sequential ae = Autoencoder.build(rng);
 * Tensor recon = ae.forward(x, Mode.TRAIN);          // [N, 784]
 * double l = mse.forward(recon, x);                  // target: the clean input
 * }</pre>
 */
public final class Autoencoder {
    public static final Shape INPUT = Shape.of(1, 28, 28);
    /** The sizes of the layers, input to code to output. */
    static final int[] SIZES = {784, 256, 64, 256, 784};
    /** Masking probability of the denoising variant. */
    public static final double DEFAULT_MASKING = 0.3;

    private Autoencoder() { }

    /** The plain autoencoder: encoder fc1, fc2 (the 64-wide code), decoder fc3, fc4. */
    public static Sequential build(Rng rng) {
        return body(new Sequential().add("flatten", new Flatten()), rng);
    }

    /** The denoising autoencoder with masking noise (p = 0.3) from a stream split off {@code rng}. */
    public static Sequential buildDenoising(Rng rng) {
        return buildDenoising(Corruption.masking(DEFAULT_MASKING, rng.split()), rng);
    }

    /** The denoising autoencoder with the given corruption in front. */
    public static Sequential buildDenoising(Corruption corruption, Rng rng) {
        Sequential s = new Sequential().add("corrupt", corruption).add("flatten", new Flatten());
        return body(s, rng);
    }

    private static Sequential body(Sequential s, Rng rng) {
        s.add("fc1", new Dense(SIZES[0], SIZES[1], rng)).add("relu1", Activation.relu())            // encoder
                .add("fc2", new Dense(SIZES[1], SIZES[2], rng)).add("relu2", Activation.relu())     // 64-wide code
                .add("fc3", new Dense(SIZES[2], SIZES[3], rng)).add("relu3", Activation.relu())     // decoder
                .add("fc4", new Dense(Dense.Config.of(SIZES[3], SIZES[4]).withInit(Dense.WeightInit.XAVIER_UNIFORM), rng))
                .add("sigmoid", Activation.sigmoid());
        return s;
    }
}
