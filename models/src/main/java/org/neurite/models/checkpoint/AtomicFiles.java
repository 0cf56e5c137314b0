package org.neurite.models.checkpoint;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that readers see either the old contents or the complete new ones, never a
 * half-written file, even if the process or the machine dies midway: write a temporary file in
 * the same directory, force it to disk, rename it over the target (atomically where the file
 * system can), then force the directory so the rename itself is durable.
 */
public final class AtomicFiles {
    /** Produces the contents of a file. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Sees every stream this class writes through, before the bytes reach the temporary file.
     * Tests install one to make writes fail on purpose (a full disk) without a tiny file system.
     */
    @FunctionalInterface
    public interface WriteHook {
        /** Returns the stream to write {@code target}'s contents to; usually a wrapper of {@code out}. */
        OutputStream wrap(Path target, OutputStream out) throws IOException;
    }

    private static volatile WriteHook hook;

    private AtomicFiles() { }

    /** Installs {@code h} (null removes it) for all threads; returns the previous hook. For tests. */
    public static WriteHook setWriteHook(WriteHook h) {
        WriteHook old = hook;
        hook = h;
        return old;
    }

    /**
     * Replaces {@code target} with what {@code writer} writes. If the writer throws, the target is
     * left as it was and the temporary file is removed.
     */
    public static void write(Path target, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        // Same directory, so the rename never crosses file systems; the dot hides it from listings.
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                WriteHook h = hook;
                if (h != null) out = h.wrap(abs, out);
                writer.write(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) Files.deleteIfExists(tmp);
        }
        forceDirectory(dir);
    }

    /** Replaces {@code target} with {@code text} in UTF-8. */
    public static void writeString(Path target, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }

    /**
     * Deletes the temporary files that writes interrupted by a crash left in {@code dir} (not
     * recursive); returns them. Call only while no write to {@code dir} is in progress.
     */
    public static java.util.List<Path> removeLeftovers(Path dir) throws IOException {
        java.util.List<Path> removed = new java.util.ArrayList<>();
        if (!Files.isDirectory(dir)) return removed;
        try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path p : ds) {
                if (Files.isRegularFile(p) && Files.deleteIfExists(p)) removed.add(p);
            }
        }
        return removed;
    }

    /** Makes a rename in {@code dir} durable; some platforms (Windows) cannot open a directory, and that is fine. */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: the file itself is already on disk
        }
    }
}
