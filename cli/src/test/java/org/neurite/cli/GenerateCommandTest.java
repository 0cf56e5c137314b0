package org.neurite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.models.text.CharLmTraining;
import org.neurite.models.text.TextCorpus;

/** {@code neurite generate} on a briefly trained character model. */
class GenerateCommandTest {
    @TempDir Path tmp;

    @Test void samplesTheRequestedLengthAfterThePrime() throws Exception {
        TextCorpus corpus = TextCorpus.characters(Path.of("..", "src-test-data", "text", "fortunes-sample.txt"));
        CharLmTraining.train(CharLmTraining.Config.defaults("char-lstm").withSizes(16, 1).withBatch(4, 16).withTrainingSteps(3),
                corpus, tmp, new PrintWriter(new StringWriter()));
        CliErrorsTest.Run r = CliErrorsTest.neurite("generate", "--run", tmp.toString(), "--prime", "Hello", "--length", "40", "--seed", "2");
        assertEquals(0, r.code(), r.err());
        String text = r.out().substring(0, r.out().length() - System.lineSeparator().length());
        assertTrue(text.startsWith("Hello"), text);
        assertEquals(45, text.codePointCount(0, text.length()), text);
        assertEquals(r.out(), CliErrorsTest.neurite("generate", "--run", tmp.toString(), "--prime", "Hello", "--length", "40", "--seed", "2").out());
    }

    @Test void reportsUnusableInput() {
        CliErrorsTest.Run r = CliErrorsTest.neurite("generate", "--run", tmp.resolve("none").toString());
        assertEquals(Neurite.EXIT_USAGE, r.code());
        assertTrue(r.err().contains("no such run directory"), r.err());
    }
}
