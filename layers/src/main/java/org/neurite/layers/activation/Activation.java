package org.neurite.layers.activation;

import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.runtime.Device;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * An element-wise activation of any input shape. Parameter-free; the output has the input's shape.
 * <pre>{@code
 * Module r = Activation.relu();
 * Module l = Activation.leakyRelu(0.01f);   // x > 0 ? x : 0.01 x
 * Module e = Activation.elu(1f);            // x > 0 ? x : (e^x - 1)
 * Module s = Activation.of(Activation.Kind.SIGMOID);
 * }</pre>
 */
public final class Activation extends Module {
    /** The function applied. LEAKY_RELU and ELU take a parameter (slope, alpha). */
    public enum Kind { RELU, LEAKY_RELU, ELU, SIGMOID, TANH }

    private final Kind kind;
    private final float alpha;
    private ActivationOp op;
    private Device opDevice;

    private FusesActivation producer;   // the module this activation is fused into, or null
    private boolean passedThrough;      // the last forward got its input already activated
    private Tensor input;     // the last forward's input (not copied)
    private Tensor output;    // same shape as the input
    private Tensor gradInput; // same shape as the input

    private Activation(Kind kind, float alpha) {
        this.kind = kind;
        this.alpha = alpha;
    }

    /** A parameter-free kind (RELU, SIGMOID, TANH); LEAKY_RELU and ELU get PyTorch's defaults 0.01 and 1. */
    public static Activation of(Kind kind) {
        return switch (kind) {
            case LEAKY_RELU -> leakyRelu(0.01f);
            case ELU -> elu(1f);
            default -> new Activation(kind, 0f);
        };
    }

    public static Activation relu() { return new Activation(Kind.RELU, 0f); }

    /** x > 0 ? x : slope * x. */
    public static Activation leakyRelu(float slope) { return new Activation(Kind.LEAKY_RELU, slope); }

    /** x > 0 ? x : alpha * (e^x - 1). */
    public static Activation elu(float alpha) {
        if (!(alpha > 0)) throw new IllegalArgumentException("ELU alpha must be > 0, got " + alpha);
        return new Activation(Kind.ELU, alpha);
    }

    public static Activation sigmoid() { return new Activation(Kind.SIGMOID, 0f); }

    public static Activation tanh() { return new Activation(Kind.TANH, 0f); }

    public Kind kind() { return kind; }

    /** The leaky slope or the ELU alpha; 0 for the other kinds. */
    public float alpha() { return alpha; }

    @Override public Shape outputShape(Shape inputShape) { return inputShape; }

    /**
     * Offers this activation to {@code previous}, the module whose output it takes (see
     * {@link FusesActivation}); true when it accepted. From then on this module passes through
     * every input that is {@code previous}'s activated output, and computes on any other input.
     */
    public boolean fuseInto(Module previous) {
        if (producer != null || !(previous instanceof FusesActivation f) || !f.fuseActivation(this)) return false;
        producer = f;
        return true;
    }

    /** True when a preceding module computes this activation (see {@link #fuseInto}). */
    public boolean isFused() { return producer != null; }

    @Override public Tensor forward(Tensor x, Mode mode) {
        passedThrough = producer != null && producer.isFusedOutput(x);
        if (passedThrough) {
            input = x;
            return x;
        }
        if (!Tensor.fits(output, x.shape(), x.device())) output = Tensor.zeros(x.shape(), x.device());
        if (op == null || opDevice != x.device()) {
            op = ActivationOp.forDevice(x.device());
            opDevice = x.device();
        }
        input = x;
        op.forward(kind, alpha, x, output);
        return output;
    }

    @Override public Tensor backward(Tensor dY) {
        if (input == null) throw new IllegalStateException(describe() + ": backward before forward");
        if (passedThrough) {   // the producer applies f'(x) to this gradient itself
            if (!dY.shape().equals(input.shape())) {
                throw new IllegalArgumentException(describe() + ": gradient " + dY.shape() + " does not match output " + input.shape());
            }
            return needsInputGrad ? dY : null;
        }
        if (!dY.shape().equals(output.shape())) {
            throw new IllegalArgumentException(describe() + ": gradient " + dY.shape() + " does not match output " + output.shape());
        }
        if (!needsInputGrad) return null;
        if (!Tensor.fits(gradInput, input.shape(), input.device())) gradInput = Tensor.zeros(input.shape(), input.device());
        op.backward(kind, alpha, input, output, dY, gradInput);
        return gradInput;
    }

    @Override public String typeName() {
        return switch (kind) {
            case RELU -> "ReLU";
            case LEAKY_RELU -> "LeakyReLU";
            case ELU -> "ELU";
            case SIGMOID -> "Sigmoid";
            case TANH -> "Tanh";
        };
    }

    @Override public String describe() {
        return switch (kind) {
            case LEAKY_RELU -> "LeakyReLU(" + alpha + ")";
            case ELU -> "ELU(" + alpha + ")";
            default -> typeName();
        };
    }
}
