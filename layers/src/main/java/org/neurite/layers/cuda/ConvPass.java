package org.neurite.layers.cuda;

/** The three convolution passes cuDNN chooses an algorithm for, each with its own algorithm enum. */
public enum ConvPass {
    FORWARD("forward"), BACKWARD_DATA("backward data"), BACKWARD_FILTER("backward filter");

    private final String label;

    ConvPass(String label) {
        this.label = label;
    }

    @Override public String toString() { return label; }
}
