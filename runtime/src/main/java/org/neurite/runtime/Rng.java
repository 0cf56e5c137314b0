package org.neurite.runtime;

import org.apache.commons.rng.RestorableUniformRandomProvider;
import org.apache.commons.rng.RandomProviderState;
import org.apache.commons.rng.core.RandomProviderDefaultState;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * A seeded random stream (Commons RNG XoShiRo256++). Its state can be saved and restored, so a
 * resumed run draws the same numbers an uninterrupted one would.
 */
public final class Rng {
    private final RestorableUniformRandomProvider source;
    private final ZigguratSampler.NormalizedGaussian gaussian;

    public Rng(long seed) {
        this.source = RandomSource.XO_SHI_RO_256_PP.create(seed);
        this.gaussian = ZigguratSampler.NormalizedGaussian.of(source);
    }

    /** Uniform in [0, 1). */
    public float nextFloat() { return source.nextFloat(); }

    public double nextDouble() { return source.nextDouble(); }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) { return source.nextInt(bound); }

    public long nextLong() { return source.nextLong(); }

    /** Standard normal. */
    public double nextGaussian() { return gaussian.sample(); }

    /** Fills {@code a[from, to)} uniformly from [lo, hi). */
    public void uniform(float[] a, int from, int to, float lo, float hi) {
        float w = hi - lo;
        for (int i = from; i < to; i++) a[i] = lo + w * source.nextFloat();
    }

    /** Fills {@code a[from, to)} from N(mean, std). */
    public void normal(float[] a, int from, int to, float mean, float std) {
        for (int i = from; i < to; i++) a[i] = (float) (mean + std * gaussian.sample());
    }

    /** Fisher-Yates shuffle in place. */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = source.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** An independent stream derived from this one (e.g. one per data loader). */
    public Rng split() { return new Rng(source.nextLong()); }

    /** The full generator state, for checkpoints. */
    public byte[] saveState() {
        return ((RandomProviderDefaultState) source.saveState()).getState();
    }

    public void restoreState(byte[] state) {
        RandomProviderState s = new RandomProviderDefaultState(state);
        source.restoreState(s);
    }
}
