package org.neurite.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --deterministic}: documented, kept in config.yaml, and a no-op on the CPU. */
class DeterministicFlagTest {
    @TempDir Path tmp;

    @Test void onTheCpuTheFlagChangesNothingButIsRecorded() throws Exception {
        Path with = tmp.resolve("with"), without = tmp.resolve("without");
        TrainRunTest.ok(TrainRunTest.args(with, "--epochs", "1", "--max-steps", "3", "--deterministic"));
        TrainRunTest.ok(TrainRunTest.args(without, "--epochs", "1", "--max-steps", "3"));
        TrainRunTest.assertSameWeights(with, without);
        assertTrue(Files.readString(with.resolve("config.yaml")).contains("deterministic: true"), "config.yaml keeps the flag");
        assertTrue(Files.readString(without.resolve("config.yaml")).contains("deterministic: false"));
        // It may change on resuming (it does not change what the run computes).
        TrainRunTest.ok("train", "--resume", without.toString(), "--epochs", "2", "--max-steps", "4", "--deterministic", "--quiet",
                "--device", "cpu", "--threads", "2");
    }

    @Test void helpDescribesIt() {
        String help = TrainRunTest.ok("train", "--help").out();
        assertTrue(help.contains("--deterministic"), help);
        assertTrue(help.contains("On the CPU a no-op"), help);
    }
}
