package org.neurite.models.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir Path tmp;

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test void replacesContents() throws Exception {
        Path f = tmp.resolve("state.json");
        AtomicFiles.writeString(f, "one");
        AtomicFiles.writeString(f, "two");
        assertEquals("two", Files.readString(f));
        assertEquals(List.of("state.json"), listing());
    }

    @Test void failingWriterLeavesOldFileIntact() throws Exception {
        Path f = tmp.resolve("model.safetensors");
        AtomicFiles.writeString(f, "old contents");
        IOException io = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write("half of the new ".getBytes(StandardCharsets.UTF_8));
            out.flush();
            throw new IOException("disk full");
        }));
        assertEquals("disk full", io.getMessage());
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[100_000]); // beyond the buffer, so it reached the temporary file
            throw new IllegalStateException("writer bug");
        }));
        assertEquals("old contents", Files.readString(f));
        assertEquals(List.of("model.safetensors"), listing(), "temporary files removed");
    }

    @Test void createsMissingDirectories() throws Exception {
        Path f = tmp.resolve("a/b/latest");
        AtomicFiles.writeString(f, "x\n");
        assertEquals("x\n", Files.readString(f));
    }
}
