package org.neurite.models.text;

import org.neurite.layers.Mode;
import org.neurite.layers.Sequential;
import org.neurite.layers.rnn.Rnn;
import org.neurite.models.zoo.CharLm;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;

/**
 * Samples text from a character language model one character at a time: the RNN carries its state
 * from step to step, each next character is drawn from softmax(logits / temperature) (temperature
 * 0: the most likely one). The prime text is read first, in one forward pass.
 * <pre>{@code
 * String s = CharSampler.sample(model, vocabulary, "The ", 200, 0.8, new Rng(1));
 * }</pre>
 */
public final class CharSampler {
    private CharSampler() { }

    /** {@code prime} followed by {@code length} sampled characters. */
    public static String sample(Sequential model, Vocabulary v, String prime, int length, double temperature, Rng rng) {
        if (length < 0) throw new IllegalArgumentException("length must be >= 0, got " + length);
        if (!(temperature >= 0)) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        Rnn rnn = CharLm.rnn(model);
        int[] primeIds = v.encode(prime);
        if (primeIds.length == 0) primeIds = new int[] {Math.max(0, v.id("\n"))};
        StringBuilder out = new StringBuilder(prime);
        rnn.setCarryState(true);
        try {
            Tensor x = Tensor.zeros(primeIds.length, 1);
            for (int i = 0; i < primeIds.length; i++) x.set(i, primeIds[i]);
            Tensor logits = model.forward(x, Mode.EVAL);              // [P, 1, V]
            int vocab = v.size();
            double[] p = new double[vocab];
            Tensor one = Tensor.zeros(1, 1);
            for (int k = 0; k < length; k++) {
                int last = logits.shape().dim(0) - 1;
                int next = draw(logits.data(), last * vocab, vocab, temperature, p, rng);
                out.append(v.token(next));
                one.set(0, next);
                logits = model.forward(one, Mode.EVAL);
            }
        } finally {
            rnn.setCarryState(false);
        }
        return out.toString();
    }

    /** An index drawn from softmax(z / temperature) over z[off, off + n); argmax at temperature 0. */
    static int draw(float[] z, int off, int n, double temperature, double[] p, Rng rng) {
        int best = 0;
        for (int j = 1; j < n; j++) if (z[off + j] > z[off + best]) best = j;
        if (temperature == 0) return best;
        double sum = 0;
        for (int j = 0; j < n; j++) {
            p[j] = Math.exp((z[off + j] - z[off + best]) / temperature);
            sum += p[j];
        }
        double u = rng.nextDouble() * sum;
        for (int j = 0; j < n; j++) {
            u -= p[j];
            if (u < 0) return j;
        }
        return best;
    }
}
