package org.neurite.models.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps two processes from training into one run directory: an exclusive lock on
 * {@code RUN_DIR/.lock} ({@link FileChannel#tryLock}), held until {@link #close()} or the
 * process's end; the operating system drops it when the process dies, so a killed run never
 * leaves a stale lock. The file holds the owner's pid, for the message the second process prints.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of {@code runDir} or fails at once, naming the process that holds it. */
    public static RunLock acquire(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null; // held by this very JVM
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (l == null) {
            String owner = readOwner(ch);
            ch.close();
            throw new RunException(runDir + " is in use by another `neurite train`" + (owner.isEmpty() ? "" : " (pid " + owner + ")")
                    + "; wait for it to finish or stop it (lock: " + file + ")");
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        return new RunLock(ch, l);
    }

    /** Whether some process holds the lock of {@code runDir} now. */
    public static boolean isHeld(Path runDir) throws IOException {
        if (!Files.exists(runDir.resolve(FILE))) return false;
        try (RunLock ignored = acquire(runDir)) {
            return false;
        } catch (RunException e) {
            return true;
        }
    }

    private static String readOwner(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            ch.read(b, 0);
            return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "";
        }
    }

    @Override public void close() throws IOException {
        try {
            if (lock.isValid()) lock.release();
        } finally {
            channel.close();
        }
    }
}
