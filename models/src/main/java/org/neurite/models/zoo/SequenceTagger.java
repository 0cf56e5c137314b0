package org.neurite.models.zoo;

import org.neurite.layers.Sequential;
import org.neurite.layers.dense.Dense;
import org.neurite.layers.embedding.Embedding;
import org.neurite.layers.rnn.CellType;
import org.neurite.layers.rnn.Rnn;
import org.neurite.layers.sequence.TimeDistributed;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;

/**
 * A sequence tagger (one label per token, e.g. part of speech): token ids {@code [T, N]} ->
 * embedding -> bidirectional LSTM -> dense at every step to tag logits {@code [T, N, tags]};
 * train with softmax cross-entropy against tags {@code [T, N]}. The zoo's {@code bilstm-tagger}:
 * vocabulary 10,000, embedding 100, hidden 128, 17 tags (the Universal Dependencies POS set).
 */
public final class SequenceTagger {
    public static final int VOCAB = 10_000;
    public static final int EMBED = 100;
    public static final int HIDDEN = 128;
    public static final int TAGS = 17;
    public static final Shape INPUT = Shape.of(50);

    private SequenceTagger() { }

    public static Sequential build(int vocab, int embed, int hidden, int tags, Rng rng) {
        return new Sequential()
                .add("embed", new Embedding(vocab, embed, rng))                                    // [T, N] -> [T, N, E]
                .add("rnn", new Rnn(Rnn.Config.of(CellType.LSTM, embed, hidden).withBidirectional(true), rng)) // -> [T, N, 2H]
                .add("head", new TimeDistributed(new Dense(
                        Dense.Config.of(2 * hidden, tags).withInit(Dense.WeightInit.PYTORCH_DEFAULT), rng))); // -> [T, N, tags]
    }

    public static Sequential build(Rng rng) {
        return build(VOCAB, EMBED, HIDDEN, TAGS, rng);
    }
}
