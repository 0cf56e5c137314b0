package org.neurite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neurite.cli.CliErrorsTest.assertOneLineError;
import static org.neurite.cli.CliErrorsTest.neurite;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.models.checkpoint.AtomicFiles;
import org.neurite.models.run.RunLock;

/**
 * `neurite train` as a run: run files, exact resumption (also from a mid-epoch checkpoint and past a
 * damaged one), metrics.csv, the run lock, divergence and write failures. Runs are tiny (256
 * images, batch 16: 16 steps per epoch) on 2 threads, so that they are fast and reproducible.
 */
class TrainRunTest {
    static final String[] SMALL = {"--limit-train", "256", "--batch", "16", "--threads", "2", "--quiet", "--device", "cpu", "--seed", "5"};

    @TempDir Path tmp;

    static String[] args(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--out", out.toString()));
        a.addAll(Arrays.asList(SMALL));
        a.addAll(Arrays.asList(more));
        return a.toArray(String[]::new);
    }

    static CliErrorsTest.Run ok(String... args) {
        CliErrorsTest.Run r = neurite(args);
        assertEquals(0, r.code(), "exit code; stderr: " + r.err() + "\nstdout: " + r.out());
        return r;
    }

    static Path weights(Path run) throws IOException {
        String latest = Files.readString(run.resolve("latest")).trim();
        return run.resolve(latest).resolve("model.safetensors");
    }

    static void assertSameWeights(Path a, Path b) throws IOException {
        assertEquals(weights(a).getParent().getFileName(), weights(b).getParent().getFileName(), "final checkpoint names");
        assertEquals(-1, Files.mismatch(weights(a), weights(b)), "weights differ: " + weights(a) + " vs " + weights(b));
    }

    @Test void configFileFlagsOverrideAndConfigYamlIsKept() throws Exception {
        Path file = tmp.resolve("run.yaml");
        Files.writeString(file, "epochs: 3\nbatch: 64\nlog-every: 4\nmax-steps: 6\n");
        Path run = tmp.resolve("run");
        CliErrorsTest.Run r = ok(args(run, "--config", file.toString(), "--epochs", "1"));
        String yaml = Files.readString(run.resolve("config.yaml"));
        assertTrue(yaml.contains("\nepochs: 1\n"), yaml);      // the flag won
        assertTrue(yaml.contains("\nbatch: 16\n"), yaml);      // SMALL's --batch beats the file's 64
        assertTrue(yaml.contains("\nlog-every: 4\n"), yaml);   // from the file
        assertTrue(yaml.contains("\nthreads: 2\n"), yaml);
        assertTrue(yaml.contains("\nlr: 0.01\n"), yaml);       // resolved
        assertTrue(r.out().contains("stopped at step 6"), r.out());
        // The resolved file works as a run file for a new run.
        ok("train", "--config", run.resolve("config.yaml").toString(), "--out", tmp.resolve("again").toString(), "--max-steps", "2");
    }

    @Test void configErrorsNameKeyAndFile() throws Exception {
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "epochs: 2\nbatch: \"sixteen\"\n");
        assertOneLineError(neurite("train", "--config", bad.toString()), 2, "bad.yaml line 2", "'batch' must be an integer");
        Files.writeString(bad, "epochs: 2\nlearning-rate: 0.1\n");
        assertOneLineError(neurite("train", "--config", bad.toString()), 2, "bad.yaml line 2", "unknown key 'learning-rate'");
        assertOneLineError(neurite("train", "--config", tmp.resolve("none.yaml").toString()), 2, "none.yaml", "no such run file");
    }

    @Test void unwritableRunDirectory() throws Exception {
        Path file = tmp.resolve("plain-file");
        Files.writeString(file, "x");
        assertOneLineError(neurite(args(file.resolve("run"))), 2, "cannot create run directory", "plain-file");
        Path used = tmp.resolve("used");
        ok(args(used, "--max-steps", "1"));
        assertOneLineError(neurite(args(used, "--max-steps", "1")), 2, "holds a run already", "--resume");
    }

    @Test void resumeIsBitIdenticalFromAStopAndFromAnOlderMidEpochCheckpoint() throws Exception {
        Path straight = tmp.resolve("straight");
        ok(args(straight, "--epochs", "2", "--log-every", "4"));

        // Stop after 21 steps (5 into epoch 2), then resume to the end.
        Path split = tmp.resolve("split");
        CliErrorsTest.Run first = ok(args(split, "--epochs", "2", "--log-every", "4", "--max-steps", "21"));
        assertTrue(first.out().contains("stopped at step 21"), first.out());
        CliErrorsTest.Run second = ok("train", "--resume", split.toString(), "--max-steps", "0");
        assertTrue(second.out().contains("resuming from checkpoints/epoch-0002-step-000000021 (epoch 2, batch 5, step 21)"), second.out());
        assertSameWeights(straight, split);
        assertEquals(Files.readString(straight.resolve("metrics.csv")).lines().map(TrainRunTest::withoutTimes).toList(),
                Files.readString(split.resolve("metrics.csv")).lines().map(TrainRunTest::withoutTimes).toList());

        // Every 6 steps a mid-epoch checkpoint; stop at 9; delete the stop's checkpoint and damage 'latest':
        // the run resumes from step 6, the newest complete one, and still ends identical.
        Path mid = tmp.resolve("mid");
        ok(args(mid, "--epochs", "2", "--log-every", "4", "--checkpoint-every", "6", "--max-steps", "9"));
        Path stop = mid.resolve("checkpoints/epoch-0001-step-000000009");
        Files.writeString(stop.resolve("model.safetensors"), "damaged");
        Files.writeString(mid.resolve("checkpoints/epoch-0001-step-000000006/.model.safetensors.123.tmp"), "partial");
        CliErrorsTest.Run resumed = ok("train", "--resume", mid.toString(), "--max-steps", "0", "--checkpoint-every", "0");
        assertTrue(resumed.out().contains("checkpoint checkpoints/epoch-0001-step-000000009 is incomplete or damaged, skipped"), resumed.out());
        assertTrue(resumed.out().contains("resuming from checkpoints/epoch-0001-step-000000006 (epoch 1, batch 6, step 6)"), resumed.out());
        assertTrue(resumed.out().contains("removed checkpoints/epoch-0001-step-000000006/.model.safetensors.123.tmp"), resumed.out());
        assertTrue(resumed.out().contains("metrics.csv: dropped 1 line(s)"), resumed.out()); // the step-8 row
        assertSameWeights(straight, mid);
    }

    /** A metrics row without its seconds and samples/s, which differ between runs. */
    static String withoutTimes(String line) {
        String[] f = line.split(",");
        return String.join(",", Arrays.copyOf(f, 10)) + "," + f[12];
    }

    @Test void metricsCsvHasARowPerEpochAndPerLogInterval() throws Exception {
        Path run = tmp.resolve("m");
        ok(args(run, "--epochs", "2", "--log-every", "10", "--val-split", "0.25"));
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals("kind,epoch,step,lr,train_loss,train_accuracy,val_loss,val_accuracy,test_loss,test_accuracy,seconds,samples_per_s,skipped",
                lines.get(0));
        // 192 training images (64 held out) in batches of 16: 12 steps per epoch; logs at steps 10 and 20.
        List<String> kinds = lines.stream().skip(1).map(l -> l.split(",")[0] + "@" + l.split(",")[2]).toList();
        assertEquals(List.of("step@10", "epoch@12", "step@20", "epoch@24"), kinds);
        String[] e2 = lines.get(4).split(",", -1);
        assertEquals("2", e2[1]);
        for (int c = 3; c <= 11; c++) assertFalse(e2[c].isEmpty(), "column " + c + " of " + lines.get(4));
        double trainAcc = Double.parseDouble(e2[5]);
        assertTrue(trainAcc > 0 && trainAcc <= 1, lines.get(4));
        String[] s1 = lines.get(1).split(",", -1);
        assertTrue(s1[6].isEmpty() && s1[8].isEmpty(), "a step row has no evaluation: " + lines.get(1));
        assertTrue(Files.size(run.resolve("loss.png")) > 1000 && Files.size(run.resolve("accuracy.png")) > 1000);
    }

    @Test void earlyStoppingStopsWhenValidationAccuracyStalls() throws Exception {
        // A learning rate of 1e-9 leaves the predictions, and so the validation accuracy, where they are.
        Path run = tmp.resolve("early");
        CliErrorsTest.Run r = ok(args(run, "--epochs", "6", "--lr", "1e-9", "--schedule", "none", "--val-split", "0.25",
                "--early-stop-patience", "1", "--early-stop-metric", "val_accuracy"));
        assertTrue(r.out().contains("early stop: val_accuracy has not improved for 1 epochs"), r.out());
        assertEquals(2, Files.readAllLines(run.resolve("metrics.csv")).stream().filter(l -> l.startsWith("epoch,")).count());
    }

    @Test void secondProcessOnTheSameRunIsRefused() throws Exception {
        Path run = tmp.resolve("locked");
        ok(args(run, "--max-steps", "2"));
        try (RunLock held = RunLock.acquire(run)) {
            assertOneLineError(neurite("train", "--resume", run.toString()), 2, "is in use by another `neurite train`",
                    "pid " + ProcessHandle.current().pid());
        }
        ok("train", "--resume", run.toString(), "--max-steps", "3"); // released: usable again
    }

    @Test void divergenceExitsOneNamingTheStepAndKeepsTheLastCheckpoint() throws Exception {
        Path run = tmp.resolve("nan");
        CliErrorsTest.Run r = neurite(args(run, "--lr", "10000", "--checkpoint-every", "2", "--schedule", "none"));
        assertOneLineError(r, 1, "training diverged at step 3 (epoch 1, batch 3)", "last good checkpoint",
                "epoch-0001-step-000000002");
        assertTrue(Files.readString(run.resolve("latest")).contains("epoch-0001-step-000000002"));

        Path skip = tmp.resolve("skip");
        CliErrorsTest.Run s = ok(args(skip, "--lr", "10000", "--schedule", "none", "--epochs", "1", "--skip-nonfinite"));
        assertTrue(s.out().matches("(?s).*skipped \\d+ steps with non-finite loss or gradients.*"), s.out());
    }

    @Test void fullDiskWhileCheckpointingKeepsThePreviousCheckpoint() throws Exception {
        Path run = tmp.resolve("full");
        int[] weightsWritten = {0};
        AtomicFiles.WriteHook old = AtomicFiles.setWriteHook((target, out) -> {
            if (!target.getFileName().toString().equals("model.safetensors") || ++weightsWritten[0] < 2) return out;
            return new OutputStream() { // the second checkpoint's weights: the disk fills up after 1000 bytes
                int n;

                @Override public void write(int b) throws IOException {
                    if (++n > 1000) throw new IOException("No space left on device");
                    out.write(b);
                }
            };
        });
        CliErrorsTest.Run r;
        try {
            r = neurite(args(run, "--checkpoint-every", "3"));
        } finally {
            AtomicFiles.setWriteHook(old);
        }
        assertOneLineError(r, 2, "cannot write checkpoint epoch-0001-step-000000006", "No space left on device",
                "the previous checkpoint checkpoints/epoch-0001-step-000000003 is intact");
        assertTrue(Files.readString(run.resolve("latest")).contains("epoch-0001-step-000000003"));
        try (Stream<Path> files = Files.walk(run)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList(), "temporary files left");
        }
        assertFalse(Files.exists(run.resolve("checkpoints/epoch-0001-step-000000006")), "half-written checkpoint left");
        CliErrorsTest.Run resumed = ok("train", "--resume", run.toString(), "--max-steps", "4");
        assertTrue(resumed.out().contains("resuming from checkpoints/epoch-0001-step-000000003"), resumed.out());
    }
}
