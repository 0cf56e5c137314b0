package org.neurite.models.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.neurite.models.text.TextCorpus;
import org.neurite.runtime.Tensor;

/** The server's protocol, and that its W4 command trains W4's model (no timing is asserted). */
class StepServerTest {

    @Test void w4CommandRunsTrainingSteps() throws Exception {
        StepServer server = new StepServer(7, TextCorpus.bundledSample());
        Tensor firstWeights = server.model.params().get(0).value();
        float[] before = firstWeights.data().clone();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        server.serve(new StringReader("W4 1\n"), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(1, lines.length);
        assertTrue(Double.parseDouble(lines[0]) > 0, lines[0]);
        assertFalse(java.util.Arrays.equals(before, firstWeights.data()), "one SGD step changes the first convolution's weights");
    }

    @Test void w2AndW3CommandsTrainTheirModels() throws Exception {
        StepServer server = new StepServer(7, TextCorpus.bundledSample());
        for (String w : new String[] {"W2", "W3"}) {
            StepServer.CharLmSteps steps = w.equals("W2") ? server.lstm : server.gru;
            float[] before = steps.model.params().get(0).value().data().clone();
            assertTrue(Double.parseDouble(server.answer(w + " 1")) > 0);
            assertFalse(java.util.Arrays.equals(before, steps.model.params().get(0).value().data()), w + ": one Adam step changes the weights");
        }
    }

    @Test void w5CommandAnswersGflops() throws Exception {
        StepServer server = new StepServer(7, TextCorpus.bundledSample());
        assertTrue(Double.parseDouble(server.answer("W5 64 1")) > 0);
    }

    @Test void badLinesGetErrorsNamingTheProblem() throws Exception {
        StepServer server = new StepServer(7, TextCorpus.bundledSample());
        assertEquals("error: not a number in 'W4 ten'", server.answer("W4 ten"));
        assertEquals("error: W4 needs at least one step, got 0", server.answer("W4 0"));
        assertTrue(server.answer("W6 1").startsWith("error: unknown command 'W6 1'"));
        assertTrue(server.answer("W5 1024").startsWith("error: unknown command"));
        assertEquals("error: W3 needs at least one step, got -2", server.answer("W3 -2"));
    }
}
