package org.neurite.models.zoo;

import org.neurite.layers.Sequential;
import org.neurite.layers.dense.Dense;
import org.neurite.layers.embedding.Embedding;
import org.neurite.layers.rnn.CellType;
import org.neurite.layers.rnn.Rnn;
import org.neurite.layers.sequence.SequencePool;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;

/**
 * A many-to-one classifier: token ids {@code [T, N]} -> embedding -> bidirectional LSTM -> max over
 * time (both directions see the whole sequence) -> dense to class logits {@code [N, classes]}.
 * The zoo's {@code bilstm-classifier}: vocabulary 10,000, embedding 100, hidden 128, 2 classes.
 */
public final class SequenceClassifier {
    public static final int VOCAB = 10_000;
    public static final int EMBED = 100;
    public static final int HIDDEN = 128;
    public static final int CLASSES = 2;
    /** Per-sample input of the zoo entry: 100 token ids. */
    public static final Shape INPUT = Shape.of(100);

    private SequenceClassifier() { }

    public static Sequential build(int vocab, int embed, int hidden, int classes, Rng rng) {
        return new Sequential()
                .add("embed", new Embedding(vocab, embed, rng))                                    // [T, N] -> [T, N, E]
                .add("rnn", new Rnn(Rnn.Config.of(CellType.LSTM, embed, hidden).withBidirectional(true), rng)) // -> [T, N, 2H]
                .add("pool", new SequencePool(SequencePool.Kind.MAX))                               // -> [N, 2H]
                .add("fc", new Dense(Dense.Config.of(2 * hidden, classes).withInit(Dense.WeightInit.PYTORCH_DEFAULT), rng));
    }

    public static Sequential build(Rng rng) {
        return build(VOCAB, EMBED, HIDDEN, CLASSES, rng);
    }
}
