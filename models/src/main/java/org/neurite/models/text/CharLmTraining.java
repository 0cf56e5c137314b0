package org.neurite.models.text;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.neurite.layers.Mode;
import org.neurite.layers.Sequential;
import org.neurite.layers.loss.SoftmaxCrossEntropy;
import org.neurite.layers.optim.Adam;
import org.neurite.layers.optim.GradClip;
import org.neurite.layers.rnn.CellType;
import org.neurite.models.checkpoint.Checkpoint;
import org.neurite.models.checkpoint.TrainingState;
import org.neurite.models.data.InputDataException;
import org.neurite.models.train.TrainingDivergedException;
import org.neurite.models.zoo.CharLm;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;

/**
 * Trains a character language model ({@code char-rnn}, {@code char-lstm}, {@code char-gru}) on a
 * text for a number of steps of random windows, with Adam and gradient clipping, as W2/W3 do,
 * and saves checkpoints a run directory that {@code neurite generate} reads:
 * <pre>
 *   RUN_DIR/vocabulary.json      the character vocabulary (ids of the model's inputs and outputs)
 *   RUN_DIR/latest, RUN_DIR/checkpoints/...   as {@link Checkpoint} writes them; state.json's config
 *                                holds model, hidden, layers and vocab_size to rebuild the model
 * </pre>
 * <pre>{@code
 * TextCorpus text = TextCorpus.characters(Path.of("fortunes-corpus.txt"));
 * CharLmTraining.Outcome o = CharLmTraining.train(CharLmTraining.Config.defaults("char-lstm"), text, runDir, out);
 * CharLmTraining.Loaded m = CharLmTraining.load(runDir);     // model with its vocabulary
 * }</pre>
 */
public final class CharLmTraining {
    public static final String VOCABULARY = "vocabulary.json";

    /** Training settings; {@link #defaults} are W2's with 2,000 steps and clipping at norm 5. */
    public record Config(String modelName, int hidden, int layers, int batch, int steps, int trainingSteps,
                         double lr, double clipNorm, long seed, int logEvery, int checkpointEvery) {
        public Config {
            if (CharLm.cellOf(modelName) == null) throw new IllegalArgumentException("not a character model: " + modelName + " (char-rnn, char-lstm, char-gru)");
            if (hidden < 1 || layers < 1 || batch < 1 || steps < 1 || trainingSteps < 1 || !(lr > 0) || logEvery < 1 || checkpointEvery < 1) {
                throw new IllegalArgumentException("CharLmTraining: sizes, steps and lr must be positive: " + this);
            }
        }

        public static Config defaults(String modelName) {
            return new Config(modelName, CharLm.DEFAULT_HIDDEN, 1, 32, 64, 2000, 0.002, 5.0, 42, 100, 500);
        }

        public Config withTrainingSteps(int n) { return new Config(modelName, hidden, layers, batch, steps, n, lr, clipNorm, seed, logEvery, checkpointEvery); }

        public Config withSizes(int hiddenSize, int numLayers) { return new Config(modelName, hiddenSize, numLayers, batch, steps, trainingSteps, lr, clipNorm, seed, logEvery, checkpointEvery); }

        public Config withBatch(int n, int seqLen) { return new Config(modelName, hidden, layers, n, seqLen, trainingSteps, lr, clipNorm, seed, logEvery, checkpointEvery); }

        public Config withLr(double rate) { return new Config(modelName, hidden, layers, batch, steps, trainingSteps, rate, clipNorm, seed, logEvery, checkpointEvery); }

        public Config withSeed(long s) { return new Config(modelName, hidden, layers, batch, steps, trainingSteps, lr, clipNorm, s, logEvery, checkpointEvery); }

        /** Clipping by global norm; 0 turns it off. */
        public Config withClipNorm(double n) { return new Config(modelName, hidden, layers, batch, steps, trainingSteps, lr, n, seed, logEvery, checkpointEvery); }

        public Config withLogging(int everySteps, int checkpointEverySteps) { return new Config(modelName, hidden, layers, batch, steps, trainingSteps, lr, clipNorm, seed, everySteps, checkpointEverySteps); }
    }

    /** What a run ended with: its last checkpoint and the mean loss of its last {@code logEvery} steps. */
    public record Outcome(Path checkpoint, double recentLoss, long steps) { }

    /** A trained model, its vocabulary and the state it was saved with. */
    public record Loaded(Sequential model, Vocabulary vocabulary, TrainingState state) { }

    private CharLmTraining() { }

    public static Outcome train(Config c, TextCorpus corpus, Path runDir, PrintWriter log) throws IOException {
        Files.createDirectories(runDir);
        corpus.vocabulary().save(runDir.resolve(VOCABULARY));
        Rng rng = new Rng(c.seed());
        Sequential model = CharLm.build(CharLm.cellOf(c.modelName()), corpus.vocabulary().size(), c.hidden(), c.layers(), rng);
        Adam adam = new Adam(model.params(), c.lr());
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        RandomWindows windows = new RandomWindows(corpus.ids(), c.batch(), c.steps(), rng.split());
        Map<String, String> config = configMap(c, corpus);
        log.printf(Locale.ROOT, "train %s (%,d parameters) on %s: %,d characters, vocabulary %d; %d steps of %d x %d, adam lr %s%n",
                c.modelName(), model.parameterCount(), corpus.source(), corpus.length(), corpus.vocabulary().size(),
                c.trainingSteps(), c.batch(), c.steps(), c.lr());
        log.flush();
        double recent = 0;
        int inRecent = 0;
        Path last = null;
        long start = System.nanoTime();
        for (int s = 1; s <= c.trainingSteps(); s++) {
            windows.next();
            Tensor out = model.forward(windows.inputs(), Mode.TRAIN);
            double l = loss.forward(out, windows.targets());
            if (!Double.isFinite(l)) throw new TrainingDivergedException(s, l);
            model.zeroGrad();
            model.backward(loss.backward());
            if (c.clipNorm() > 0) GradClip.clipByGlobalNorm(model.params(), c.clipNorm());
            adam.step();
            recent += l;
            inRecent++;
            if (s % c.logEvery() == 0 || s == c.trainingSteps()) {
                double secs = (System.nanoTime() - start) / 1e9;
                log.printf(Locale.ROOT, "step %d/%d: loss %.4f nats/char (mean of last %d), %.0f chars/s%n",
                        s, c.trainingSteps(), recent / inRecent, inRecent, (double) s * c.batch() * c.steps() / secs);
                log.flush();
                if (s < c.trainingSteps()) {
                    recent = 0;
                    inRecent = 0;
                }
            }
            if (s % c.checkpointEvery() == 0 || s == c.trainingSteps()) {
                last = Checkpoint.save(runDir, model.params(), adam, new TrainingState(c.modelName(), "adam", 0, 0, s, rng.saveState(), config));
            }
        }
        return new Outcome(last, recent / Math.max(1, inRecent), c.trainingSteps());
    }

    private static Map<String, String> configMap(Config c, TextCorpus corpus) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", c.modelName());
        m.put("data", corpus.source());
        m.put("hidden", Integer.toString(c.hidden()));
        m.put("layers", Integer.toString(c.layers()));
        m.put("vocab_size", Integer.toString(corpus.vocabulary().size()));
        m.put("batch", Integer.toString(c.batch()));
        m.put("seq_len", Integer.toString(c.steps()));
        m.put("lr", Double.toString(c.lr()));
        m.put("clip_norm", Double.toString(c.clipNorm()));
        m.put("seed", Long.toString(c.seed()));
        return m;
    }

    /** The model of {@code runDir}'s latest checkpoint, rebuilt from its saved configuration. */
    public static Loaded load(Path runDir) throws InputDataException {
        Path dir = Checkpoint.latest(runDir)
                .orElseThrow(() -> InputDataException.in(runDir.toString(), "holds no checkpoint (no 'latest' file)"));
        TrainingState state = Checkpoint.readState(dir);
        CellType cell = state.modelName() == null ? null : CharLm.cellOf(state.modelName());
        if (cell == null) throw InputDataException.in(dir.toString(), "model '" + state.modelName() + "' is not a character language model");
        Vocabulary v = Vocabulary.load(runDir.resolve(VOCABULARY));
        int hidden = intOf(state, "hidden", dir);
        int layers = intOf(state, "layers", dir);
        int vocab = intOf(state, "vocab_size", dir);
        if (vocab != v.size()) throw InputDataException.in(runDir.resolve(VOCABULARY).toString(), v.size() + " tokens, the model was trained with " + vocab);
        Sequential model = CharLm.build(cell, vocab, hidden, layers, new Rng(0));
        Checkpoint.loadWeights(dir.resolve(Checkpoint.WEIGHTS), model.params());
        return new Loaded(model, v, state);
    }

    private static int intOf(TrainingState s, String key, Path dir) throws InputDataException {
        String v = s.config().get(key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw InputDataException.in(dir.resolve(Checkpoint.STATE).toString(), "config." + key + " = " + v + " is not an integer");
        }
    }
}
