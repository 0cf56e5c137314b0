package org.neurite.models.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.neurite.models.data.InputDataException;

/**
 * What every reader of outside bytes promises, checked on one fuzz input: it returns data, or it
 * throws {@link InputDataException} with a one-line message that names the source. Anything else
 * (a runtime exception, an {@link Error} such as {@code OutOfMemoryError} from a forged size, a
 * bad message) propagates out of the fuzz test, and Jazzer reports it with the input.
 *
 * <p>A target for a new reader is one method in {@link ReaderFuzzTest}: write the input where the
 * reader looks ({@link #folder}), then {@link #readOrRefuse}.
 */
final class FuzzHarness {
    /** A read of the fuzzed files; may only return or throw {@link InputDataException}. */
    @FunctionalInterface
    interface Read<T> {
        T run() throws InputDataException;
    }

    private static final Path ROOT = createRoot();

    private FuzzHarness() { }

    /**
     * In a plain test run (no {@code JAZZER_FUZZ}), turns off Jazzer's bytecode hooks unless
     * {@code jazzer.hooks} is set: they are its sanitizers (SQL, LDAP, path traversal, ...) and
     * comparison tracing, none of which a replay of these readers needs, and loading them costs
     * about 12 s per test JVM. Fuzzing keeps them: comparison tracing guides the fuzzer.
     * Call it from the fuzz test class's {@code @BeforeAll}, before Jazzer reads its configuration.
     */
    static void replayWithoutSanitizerHooks() {
        if (System.getenv("JAZZER_FUZZ") == null && System.getProperty("jazzer.hooks") == null) {
            System.setProperty("jazzer.hooks", "false");
        }
    }

    /**
     * Runs {@code read}: its result, or null when it refused the input properly, i.e. with an
     * {@link InputDataException} whose message is one line and contains {@code source}.
     */
    static <T> T readOrRefuse(String source, Read<T> read) {
        try {
            return read.run();
        } catch (InputDataException e) {
            checkMessage(source, e);
            return null;
        }
    }

    /** The promise on an error message: one line, naming the source. */
    static void checkMessage(String source, InputDataException e) {
        String m = e.getMessage();
        if (m == null || m.isBlank() || m.indexOf('\n') >= 0 || m.indexOf('\r') >= 0 || !m.contains(source)) {
            throw new AssertionError("error message must be one line naming " + source + ", got: " + m, e);
        }
    }

    /**
     * An empty scratch folder for {@code target} holding exactly {@code files} (name to bytes);
     * one folder per target, emptied and refilled for every input.
     */
    static Path folder(String target, Map<String, byte[]> files) {
        Path dir = ROOT.resolve(target);
        try {
            Files.createDirectories(dir);
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) deleteTree(p);
            }
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Path p = dir.resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.write(p, f.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("fuzz scratch folder " + dir, e);
        }
        return dir;
    }

    /**
     * Splits one fuzz input into {@code n} files: each but the last is a 4-byte big-endian length
     * (cut to what remains) and that many bytes; the last takes the rest. Seeds are easy to write
     * by hand, and the fuzzer can grow or shrink each part alone.
     */
    static byte[][] split(byte[] data, int n) {
        byte[][] parts = new byte[n][];
        int pos = 0;
        for (int i = 0; i < n - 1; i++) {
            long len = 0;
            for (int k = 0; k < 4; k++) len = len << 8 | (pos < data.length ? data[pos++] & 0xff : 0);
            int take = (int) Math.min(len, data.length - pos);
            parts[i] = Arrays.copyOfRange(data, pos, pos + take);
            pos += take;
        }
        parts[n - 1] = Arrays.copyOfRange(data, pos, data.length);
        return parts;
    }

    /** Joins parts in the layout {@link #split} reads, for writing seeds. */
    static byte[] join(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < parts.length; i++) {
            if (i < parts.length - 1) {
                int len = parts[i].length;
                out.write(len >>> 24);
                out.write(len >>> 16);
                out.write(len >>> 8);
                out.write(len);
            }
            out.writeBytes(parts[i]);
        }
        return out.toByteArray();
    }

    private static Path createRoot() {
        try {
            Path root = Files.createTempDirectory("neurite-fuzz-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(root)));
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a fuzz scratch folder", e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            deleteTree(p);
        } catch (IOException e) {
            // best effort at exit: a leftover folder in the temp directory is harmless
        }
    }
}
