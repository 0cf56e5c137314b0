package org.neurite.models.zoo;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.neurite.layers.Module;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;

/** Every model Neurite can build by name, with the input it expects. */
public final class ModelZoo {
    /** A buildable model: its name, a one-line description, per-sample input shape and classes. */
    public record Spec(String name, String description, Shape inputShape, int classes, Function<Rng, Module> builder) {
        public Module build(Rng rng) { return builder.apply(rng); }
    }

    private static final Map<String, Spec> MODELS = new LinkedHashMap<>();

    static {
        register(new Spec("lenet5", "LeNet-5 with ReLU and max pooling (W1), MNIST 1x28x28",
                LeNet5.INPUT, LeNet5.CLASSES, LeNet5::build));
        register(new Spec("char-rnn", "character LM: one-hot 97 -> RNN(tanh) 256 -> dense 97 per step; input [T, N] ids", CharLm.INPUT, CharLm.DEFAULT_VOCAB, CharLm::charRnn));
        register(new Spec("char-lstm", "character LM (W2): one-hot 97 -> LSTM 256 -> dense 97 per step; input [T, N] ids", CharLm.INPUT, CharLm.DEFAULT_VOCAB, CharLm::charLstm));
        register(new Spec("char-gru", "character LM (W3): one-hot 97 -> GRU 256 -> dense 97 per step; input [T, N] ids", CharLm.INPUT, CharLm.DEFAULT_VOCAB, CharLm::charGru));
        register(new Spec("bilstm-classifier", "embedding 100 -> BiLSTM 128 -> max over time -> dense 2; input [T, N] ids", SequenceClassifier.INPUT, SequenceClassifier.CLASSES, SequenceClassifier::build));
        register(new Spec("bilstm-tagger", "embedding 100 -> BiLSTM 128 -> dense 17 per step; input [T, N] ids", SequenceTagger.INPUT, SequenceTagger.TAGS, SequenceTagger::build));
        register(new Spec("seq2seq", "LSTM encoder-decoder (2x128, vocab 1000); input [20 + Tt, N] ids: source then decoder input", Seq2Seq.INPUT, Seq2Seq.Config.standard().targetVocab(), Seq2Seq::build));
    }

    private ModelZoo() { }

    private static void register(Spec spec) { MODELS.put(spec.name(), spec); }

    /** The model called {@code name}; an unknown name is an error listing the known ones. */
    public static Spec get(String name) {
        Spec s = MODELS.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown model '" + name + "' (known: " + String.join(", ", MODELS.keySet()) + ")");
        }
        return s;
    }

    public static Collection<Spec> all() { return Collections.unmodifiableCollection(MODELS.values()); }
}
