package org.neurite.models.data.augment;

import org.neurite.runtime.Rng;

/**
 * Per-sample image augmentation, in torchvision's order: random crop of the zero-padded image,
 * random horizontal flip, then per-channel normalisation {@code (x - mean[c]) / std[c]} (so padded
 * pixels become {@code -mean[c] / std[c]}, as with RandomCrop before Normalize). Each step is
 * optional. One call reads a {@code [C, H, W]} sample and writes the result into another array: no
 * allocation.
 *
 * <pre>{@code
 * Augment cifarTrain = Augment.builder().randomCrop(4).horizontalFlip()
 *         .normalize(new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2470f, 0.2435f, 0.2616f}).build();
 * Augment cifarTest = Augment.builder().normalize(mean, std).build();   // deterministic
 * }</pre>
 *
 * <p>Random draws per sample, in this order: the crop offsets {@code dy, dx} (each
 * {@code rng.nextInt(2 * pad + 1)}) when cropping, then the flip ({@code rng.nextInt(2) == 1}) when
 * flipping; a configuration without random steps draws nothing.
 */
public final class Augment {
    private final int pad;
    private final boolean flip;
    private final float[] mean;     // [C] or null
    private final float[] invStd;   // [C] or null

    private Augment(Builder b) {
        this.pad = b.pad;
        this.flip = b.flip;
        this.mean = b.mean == null ? null : b.mean.clone();
        if (b.std == null) {
            this.invStd = null;
        } else {
            this.invStd = new float[b.std.length];
            for (int c = 0; c < b.std.length; c++) invStd[c] = 1f / b.std[c];
        }
    }

    public static Builder builder() { return new Builder(); }

    /** True when {@link #apply} draws random numbers. */
    public boolean isRandom() { return pad > 0 || flip; }

    /**
     * Writes the augmented {@code src[srcOff..]} ({@code [channels, height, width]}) to
     * {@code dst[dstOff..]} (the same shape). {@code src} and {@code dst} must not overlap.
     */
    public void apply(float[] src, int srcOff, float[] dst, int dstOff, int channels, int height, int width, Rng rng) {
        if (mean != null && mean.length != channels) {
            throw new IllegalArgumentException("normalisation has " + mean.length + " channels, the sample " + channels);
        }
        int dy = 0, dx = 0;
        if (pad > 0) {
            dy = rng.nextInt(2 * pad + 1) - pad;
            dx = rng.nextInt(2 * pad + 1) - pad;
        }
        boolean flipped = flip && rng.nextInt(2) == 1;
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            float m = mean == null ? 0f : mean[c];
            float s = invStd == null ? 1f : invStd[c];
            float padValue = (0f - m) * s;
            int so = srcOff + c * plane, d = dstOff + c * plane;
            for (int i = 0; i < height; i++) {
                int sy = i + dy;
                if (sy < 0 || sy >= height) {
                    for (int j = 0; j < width; j++) dst[d + i * width + j] = padValue;
                    continue;
                }
                for (int j = 0; j < width; j++) {
                    // crop then flip: output column j shows cropped column (W-1-j) when flipped
                    int sx = (flipped ? width - 1 - j : j) + dx;
                    dst[d + i * width + j] = sx < 0 || sx >= width ? padValue : (src[so + sy * width + sx] - m) * s;
                }
            }
        }
    }

    @Override public String toString() {
        StringBuilder b = new StringBuilder("Augment(");
        if (pad > 0) b.append("random crop, pad ").append(pad).append("; ");
        if (flip) b.append("horizontal flip; ");
        if (mean != null) b.append("normalise; ");
        if (b.charAt(b.length() - 1) == ' ') b.setLength(b.length() - 2);
        return b.append(')').toString();
    }

    /** Named settings; all steps start off. */
    public static final class Builder {
        private int pad;
        private boolean flip;
        private float[] mean;
        private float[] std;

        /** Random crop back to the input size from the image zero-padded by {@code pad} on every side. */
        public Builder randomCrop(int pad) {
            if (pad < 0) throw new IllegalArgumentException("crop padding must be >= 0, got " + pad);
            this.pad = pad;
            return this;
        }

        /** Mirror left-right with probability 1/2. */
        public Builder horizontalFlip() {
            this.flip = true;
            return this;
        }

        /** {@code (x - mean[c]) / std[c]} per channel. */
        public Builder normalize(float[] mean, float[] std) {
            if (mean.length != std.length || mean.length == 0) {
                throw new IllegalArgumentException("mean and std need the same, non-zero number of channels");
            }
            for (float s : std) if (!(s > 0)) throw new IllegalArgumentException("std must be positive, got " + s);
            this.mean = mean.clone();
            this.std = std.clone();
            return this;
        }

        public Augment build() { return new Augment(this); }
    }
}
