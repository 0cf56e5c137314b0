package org.neurite.layers.cuda;

import org.neurite.layers.activation.Activation;
import org.neurite.runtime.Shape;

/**
 * How each activation maps onto cuDNN, as pure functions: the {@code cudnnActivationMode} and its
 * coefficient, and the 4-d tensor an element-wise op or a softmax is described with.
 */
public final class ActivationDescriptors {
    /** {@code CUDNN_ACTIVATION_SIGMOID}. */
    public static final int SIGMOID = 0;
    /** {@code CUDNN_ACTIVATION_RELU}. */
    public static final int RELU = 1;
    /** {@code CUDNN_ACTIVATION_TANH}. */
    public static final int TANH = 2;
    /** {@code CUDNN_ACTIVATION_ELU}. */
    public static final int ELU = 4;
    /** No cuDNN mode: the engine runs its own kernel (leaky ReLU). */
    public static final int KERNEL = -1;

    /** {@code CUDNN_SOFTMAX_ACCURATE}: subtracts the row maximum first, as the CPU engine does. */
    public static final int SOFTMAX_ACCURATE = 1;
    /** {@code CUDNN_SOFTMAX_MODE_CHANNEL}: over C for each (n, h, w). */
    public static final int SOFTMAX_MODE_CHANNEL = 1;

    private ActivationDescriptors() { }

    /** The cuDNN mode of {@code kind}, or {@link #KERNEL} when cuDNN has none. */
    public static int mode(Activation.Kind kind) {
        return switch (kind) {
            case RELU -> RELU;
            case SIGMOID -> SIGMOID;
            case TANH -> TANH;
            case ELU -> ELU;
            case LEAKY_RELU -> KERNEL;
        };
    }

    /** The coefficient cuDNN takes: ELU's alpha; 0 for the others (ReLU's 0 means "not clipped"). */
    public static double coef(Activation.Kind kind, float alpha) {
        return kind == Activation.Kind.ELU ? alpha : 0.0;
    }

    /**
     * An element-wise op sees any shape as {@code [dim0, size / dim0, 1, 1]} (a scalar as
     * {@code [1, 1, 1, 1]}): only the element count matters, and each dimension stays an int. An
     * empty tensor has no cuDNN description: engines skip it.
     */
    public static int[] elementwiseDims(Shape s) {
        if (s.size() == 0) throw new IllegalArgumentException("an empty tensor " + s + " has no cuDNN descriptor");
        if (s.rank() == 0) return new int[] {1, 1, 1, 1};
        return new int[] {s.dim(0), s.size() / s.dim(0), 1, 1};
    }

    /** A softmax over rows of {@code classes} is {@code [size / classes, classes, 1, 1]} in channel mode. */
    public static int[] softmaxDims(int size, int classes) {
        if (classes <= 0 || size % classes != 0) {
            throw new IllegalArgumentException("softmax over " + classes + " classes of a tensor of " + size + " elements");
        }
        return new int[] {size / classes, classes, 1, 1};
    }
}
