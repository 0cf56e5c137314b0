package org.neurite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety for real: `neurite train` runs in a child JVM and is killed with SIGKILL
 * (destroyForcibly) at random moments after it made progress (a new checkpoint), at most three
 * times within a minute; each time the run
 * is resumed (or started again, if the kill came before its config.yaml existed). The final
 * weights must equal those of a run that was never interrupted, bit for bit.
 */
class KillResumeTest {
    @TempDir Path tmp;

    @Test void killedThreeTimesThenResumedEqualsAnUninterruptedRun() throws Exception {
        String[] settings = {"--epochs", "2", "--checkpoint-every", "2", "--keep-last", "2"};
        Path straight = tmp.resolve("straight");
        TrainRunTest.ok(TrainRunTest.args(straight, settings));

        Path run = tmp.resolve("killed");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<String> log = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        boolean finished = false;
        for (int kill = 0; kill < 3 && !finished && System.nanoTime() < deadline; kill++) {
            String before = latest(run);
            Process p = child(run, settings, tmp.resolve("child-" + kill + ".log"));
            // Kill once this child has made progress (a new checkpoint), a random moment later: mid-step,
            // mid-checkpoint or mid-evaluation.
            while (p.isAlive() && latest(run).equals(before) && System.nanoTime() < deadline) Thread.sleep(5);
            long delay = random.nextInt(600);
            finished = p.waitFor(delay, TimeUnit.MILLISECONDS);
            if (finished) {
                log.add("child " + kill + " finished before its kill (exit " + p.exitValue() + ")");
                assertEquals(0, p.exitValue(), "child exit; " + Files.readString(tmp.resolve("child-" + kill + ".log")));
            } else {
                p.destroyForcibly();
                assertTrue(p.waitFor(20, TimeUnit.SECONDS), "killed child did not end");
                log.add("killed child " + kill + " " + delay + " ms after " + before + " -> " + latest(run));
            }
        }
        if (!finished) {
            String[] resume = RunDirectoryState.started(run)
                    ? new String[] {"train", "--resume", run.toString()} : TrainRunTest.args(run, settings);
            CliErrorsTest.Run r = CliErrorsTest.neurite(resume);
            assertEquals(0, r.code(), "resume after kills " + log + " (random seed " + seed + "): " + r.err() + r.out());
        }
        System.out.println("KillResumeTest (random seed " + seed + "): " + String.join("; ", log));
        TrainRunTest.assertSameWeights(straight, run);
    }

    private static String latest(Path run) throws Exception {
        Path l = run.resolve("latest");
        return Files.exists(l) ? Files.readString(l).trim() : "(none)";
    }

    /** The same run as {@link TrainRunTest#args}, in a child JVM started like the launcher starts one. */
    private static Process child(Path run, String[] settings, Path output) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Neurite.class.getName());
        if (RunDirectoryState.started(run)) {
            cmd.addAll(List.of("train", "--resume", run.toString()));
        } else {
            cmd.addAll(List.of(TrainRunTest.args(run, settings)));
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /** Whether a run has written its config.yaml (so it is resumed rather than started). */
    private static final class RunDirectoryState {
        static boolean started(Path run) {
            return Files.isRegularFile(run.resolve("config.yaml"));
        }
    }
}
