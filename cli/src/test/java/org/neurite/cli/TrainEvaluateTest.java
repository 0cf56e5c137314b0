package org.neurite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo path end to end: train LeNet-5 on the bundled sample, then evaluate the checkpoint. */
class TrainEvaluateTest {
    @TempDir Path tmp;

    @Test void trainThenEvaluateTheCheckpoint() throws Exception {
        Path run = tmp.resolve("run");
        CliErrorsTest.Run train = CliErrorsTest.neurite("train", "--model", "lenet5", "--epochs", "2", "--quiet",
                "--seed", "3", "--out", run.toString(), "--device", "cpu");
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains("epoch 2/2"), train.out());
        assertTrue(Files.isRegularFile(run.resolve("latest")), "latest checkpoint pointer in " + run);

        double trainedTestAccuracy = lastTestAccuracy(train.out());
        // Two epochs over 2,000 digits: far above chance (0.1); the full demo reaches ~0.95.
        assertTrue(trainedTestAccuracy > 0.8, "test accuracy after 2 epochs: " + trainedTestAccuracy);

        CliErrorsTest.Run eval = CliErrorsTest.neurite("evaluate", "--run", run.toString());
        assertEquals(0, eval.code(), eval.err());
        Matcher m = Pattern.compile("(?m)^accuracy (\\d\\.\\d+)$").matcher(eval.out());
        assertTrue(m.find(), eval.out());
        // The checkpoint holds the same weights the training run evaluated at its last epoch.
        assertEquals(trainedTestAccuracy, Double.parseDouble(m.group(1)), 1e-4);
        assertTrue(eval.out().matches("(?s).*(?m)^loss \\d+\\.\\d+$.*"), eval.out());
    }

    private static double lastTestAccuracy(String out) {
        Matcher m = Pattern.compile("test_accuracy (\\d\\.\\d+)").matcher(out);
        double last = Double.NaN;
        while (m.find()) last = Double.parseDouble(m.group(1));
        return last;
    }
}
