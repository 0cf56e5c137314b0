package org.neurite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gives one clear line on stderr, the right exit code and no stack trace. */
class CliErrorsTest {
    @TempDir Path tmp;

    record Run(int code, String out, String err) { }

    static Run neurite(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Neurite.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    static void assertOneLineError(Run r, int code, String... fragments) {
        assertEquals(code, r.code(), "exit code; stderr: " + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\tat "), "stack trace on stderr: " + err);
        assertEquals(1, err.lines().count(), "expected one line on stderr, got: " + err);
        for (String f : fragments) assertTrue(err.contains(f), "stderr should mention '" + f + "': " + err);
    }

    @Test void unknownModel() {
        assertOneLineError(neurite("train", "--model", "lenet7"), 2, "unknown model 'lenet7'", "lenet5");
    }

    @Test void negativeBatch() {
        assertOneLineError(neurite("train", "--batch", "-3"), 2, "--batch", "-3");
    }

    @Test void missingDataDirectory() {
        assertOneLineError(neurite("train", "--data", tmp.resolve("nope").toString()), 2, "--data", "nope");
    }

    @Test void unknownFlag() {
        assertOneLineError(neurite("train", "--epoch", "3"), 2, "--epoch");
    }

    @Test void cudaWithoutGpuExits3() {
        Run r = neurite("train", "--device", "cuda", "--out", tmp.resolve("run").toString());
        assertOneLineError(r, 3, "cuda");
    }

    @Test void wrongMagicIdx() throws IOException {
        Path dir = tmp.resolve("mnist");
        Files.createDirectories(dir);
        writeGz(dir.resolve("train-images-idx3-ubyte.gz"), new byte[] {0, 0, 7, 3, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28});
        writeGz(dir.resolve("train-labels-idx1-ubyte.gz"), new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 3});
        writeGz(dir.resolve("t10k-images-idx3-ubyte.gz"), new byte[] {0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28});
        writeGz(dir.resolve("t10k-labels-idx1-ubyte.gz"), new byte[] {0, 0, 8, 1, 0, 0, 0, 0});
        assertOneLineError(neurite("train", "--data", dir.toString(), "--out", tmp.resolve("run").toString()), 2,
                "train-images-idx3-ubyte.gz");
    }

    @Test void truncatedIdx() throws IOException {
        Path dir = tmp.resolve("mnist");
        Files.createDirectories(dir);
        // Header promises 2 images of 28x28 but only 10 pixel bytes follow.
        byte[] images = new byte[16 + 10];
        byte[] header = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28};
        System.arraycopy(header, 0, images, 0, 16);
        writeGz(dir.resolve("train-images-idx3-ubyte.gz"), images);
        writeGz(dir.resolve("train-labels-idx1-ubyte.gz"), new byte[] {0, 0, 8, 1, 0, 0, 0, 2, 3, 4});
        Run r = neurite("train", "--data", dir.toString(), "--out", tmp.resolve("run").toString());
        assertOneLineError(r, 2, "train-images-idx3-ubyte.gz", "at byte");
    }

    @Test void unknownBenchWorkload() {
        assertOneLineError(neurite("bench", "W9"), 2, "W9");
    }

    private static void writeGz(Path p, byte[] bytes) throws IOException {
        try (GZIPOutputStream gz = new GZIPOutputStream(Files.newOutputStream(p))) {
            gz.write(bytes);
        }
    }
}
