package org.neurite.models.zoo;

import org.neurite.layers.Sequential;
import org.neurite.layers.dense.Dense;
import org.neurite.layers.embedding.OneHot;
import org.neurite.layers.rnn.CellType;
import org.neurite.layers.rnn.Rnn;
import org.neurite.layers.sequence.TimeDistributed;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;

/**
 * Character language models as workloads W2 (LSTM) and W3 (GRU) define them: one-hot input (V) ->
 * recurrent layers (hidden 256) -> dense V at every step; trained with softmax cross-entropy over
 * all T*N steps against the input shifted by one. Input {@code [T, N]} character ids (time-major),
 * output {@code [T, N, V]} logits. Modules {@code onehot}, {@code rnn}, {@code head}: parameters
 * {@code rnn.weights} (the flat cuDNN-layout buffer), {@code head.weight}, {@code head.bias}.
 *
 * <p>W2 has 388,449 parameters (V = 97, H = 256), as PyTorch's {@code nn.LSTM(97, 256)} plus
 * {@code nn.Linear(256, 97)}; W3 297,569.
 */
public final class CharLm {
    /** The fortunes corpus's vocabulary size, the zoo's default. */
    public static final int DEFAULT_VOCAB = 97;
    public static final int DEFAULT_HIDDEN = 256;
    /** The zoo's per-sample input: a window of 64 character ids (batches are [T, N]). */
    public static final Shape INPUT = Shape.of(64);

    private CharLm() { }

    /** The model for a vocabulary of {@code vocab} characters. */
    public static Sequential build(CellType cell, int vocab, int hidden, int layers, Rng rng) {
        // The RNN still computes dx ([T*N, V], unused): Sequential requires every module after the
        // first to return an input gradient.
        Rnn rnn = new Rnn(Rnn.Config.of(cell, vocab, hidden).withLayers(layers), rng);
        return new Sequential()
                .add("onehot", new OneHot(vocab))                                                     // [T, N] -> [T, N, V]
                .add("rnn", rnn)                                                                      // -> [T, N, H]
                .add("head", new TimeDistributed(new Dense(
                        Dense.Config.of(hidden, vocab).withInit(Dense.WeightInit.PYTORCH_DEFAULT), rng))); // -> [T, N, V]
    }

    /** The zoo's model: one layer of 256, vocabulary 97. */
    public static Sequential build(CellType cell, Rng rng) {
        return build(cell, DEFAULT_VOCAB, DEFAULT_HIDDEN, 1, rng);
    }

    /** The zoo's {@code char-rnn} (tanh). */
    public static Sequential charRnn(Rng rng) { return build(CellType.RNN_TANH, rng); }

    /** The zoo's {@code char-lstm} (W2). */
    public static Sequential charLstm(Rng rng) { return build(CellType.LSTM, rng); }

    /** The zoo's {@code char-gru} (W3). */
    public static Sequential charGru(Rng rng) { return build(CellType.GRU, rng); }

    /** The zoo name of a cell type's model: char-rnn, char-lstm, char-gru. */
    public static String modelName(CellType cell) {
        return switch (cell) {
            case RNN_TANH, RNN_RELU -> "char-rnn";
            case LSTM -> "char-lstm";
            case GRU -> "char-gru";
        };
    }

    /** The cell type of a zoo name, or null when it is not a character LM. */
    public static CellType cellOf(String modelName) {
        return switch (modelName) {
            case "char-rnn" -> CellType.RNN_TANH;
            case "char-lstm" -> CellType.LSTM;
            case "char-gru" -> CellType.GRU;
            default -> null;
        };
    }

    /** The recurrent module of a model built here. */
    public static Rnn rnn(Sequential model) {
        return (Rnn) model.get("rnn");
    }
}
