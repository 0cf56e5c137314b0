package org.neurite.models.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.runtime.Rng;

/** A short training run on the bundled sample: the model learns, saves, loads and samples. */
class CharLmTrainingTest {
    @TempDir Path tmp;

    @Test void trainsSavesLoadsAndSamples() throws Exception {
        TextCorpus corpus = TextCorpus.characters(VocabularyTest.SAMPLE);
        CharLmTraining.Config c = CharLmTraining.Config.defaults("char-gru").withSizes(64, 1).withBatch(16, 32)
                .withTrainingSteps(150).withLr(0.01).withLogging(50, 150);
        StringWriter log = new StringWriter();
        CharLmTraining.Outcome o = CharLmTraining.train(c, corpus, tmp, new PrintWriter(log));
        // Uniform guessing costs ln 92 = 4.52 nats/char; character unigram statistics alone about 3.2.
        assertTrue(o.recentLoss() < 2.9, "mean loss of steps 101-150: " + o.recentLoss() + "\n" + log);
        assertTrue(Files.isRegularFile(tmp.resolve(CharLmTraining.VOCABULARY)));

        CharLmTraining.Loaded m = CharLmTraining.load(tmp);
        assertEquals(corpus.vocabulary(), m.vocabulary());
        assertEquals("char-gru", m.state().modelName());
        String a = CharSampler.sample(m.model(), m.vocabulary(), "The ", 80, 0.8, new Rng(3));
        String b = CharSampler.sample(m.model(), m.vocabulary(), "The ", 80, 0.8, new Rng(3));
        assertEquals(a, b, "same seed, same text");
        assertEquals(84, a.codePointCount(0, a.length()));
        assertTrue(a.startsWith("The "));
        assertNotEquals(a, CharSampler.sample(m.model(), m.vocabulary(), "The ", 80, 0.8, new Rng(4)));
        // Greedy sampling is deterministic whatever the seed.
        assertEquals(CharSampler.sample(m.model(), m.vocabulary(), "A", 30, 0, new Rng(1)),
                CharSampler.sample(m.model(), m.vocabulary(), "A", 30, 0, new Rng(2)));
    }

    @Test void drawFollowsTheTemperature() {
        float[] z = {0f, (float) Math.log(3)}; // softmax (1/4, 3/4)
        double[] p = new double[2];
        Rng rng = new Rng(9);
        int ones = 0;
        for (int i = 0; i < 4000; i++) ones += CharSampler.draw(z, 0, 2, 1.0, p, rng);
        assertEquals(0.75, ones / 4000.0, 0.03);
        assertEquals(1, CharSampler.draw(z, 0, 2, 0.0, p, rng));
    }
}
