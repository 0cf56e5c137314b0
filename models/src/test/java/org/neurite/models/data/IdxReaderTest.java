package org.neurite.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir Path tmp;

    /** An unsigned-byte IDX file: magic, dims, body. */
    static byte[] idx(int[] dims, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + body.length); // big-endian
        b.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) dims.length);
        for (int d : dims) b.putInt(d);
        b.put(body);
        return b.array();
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(plain);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(tmp.resolve(name), bytes);
    }

    private static byte[] body(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 37 + 250); // covers values above 127
        return b;
    }

    @Test void roundTripPlainAndGzip() throws Exception {
        byte[] body = body(2 * 3 * 4);
        byte[] file = idx(new int[] {2, 3, 4}, body);
        for (Path p : new Path[] {write("a-idx3-ubyte", file), write("a-idx3-ubyte.gz", gzip(file))}) {
            IdxReader.IdxArray a = IdxReader.read(p);
            assertEquals(IdxReader.UBYTE, a.type());
            assertArrayEquals(new int[] {2, 3, 4}, a.dims());
            assertEquals(2, a.count());
            assertEquals(12, a.recordSize());
            assertArrayEquals(body, a.data());
            assertEquals(250, a.ubyte(0));
            assertEquals((250 + 37) & 0xff, a.ubyte(1));
        }
    }

    @Test void wrongMagic() throws Exception {
        byte[] file = idx(new int[] {1}, new byte[] {7});
        file[1] = 0x01;
        Path p = write("bad-magic", file);
        InputDataException e = assertThrows(InputDataException.class, () -> IdxReader.read(p));
        assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("at byte 0") && e.getMessage().contains("magic"), e.getMessage());
    }

    @Test void unknownType() throws Exception {
        byte[] file = idx(new int[] {1}, new byte[] {7});
        file[2] = 0x0A;
        Path p = write("bad-type", file);
        InputDataException e = assertThrows(InputDataException.class, () -> IdxReader.read(p));
        assertTrue(e.getMessage().contains("at byte 2") && e.getMessage().contains("0x0a"), e.getMessage());
    }

    @Test void truncatedBodyNamesFileAndOffset() throws Exception {
        byte[] full = idx(new int[] {10, 5}, body(50));
        Path p = write("short", Arrays.copyOf(full, 12 + 37));
        InputDataException e = assertThrows(InputDataException.class, () -> IdxReader.read(p));
        assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("at byte 49") && e.getMessage().contains("62"), e.getMessage());
    }

    @Test void truncatedGzipNamesFileAndOffset() throws Exception {
        byte[] gz = gzip(idx(new int[] {1000, 100}, body(100_000)));
        Path p = write("short.gz", Arrays.copyOf(gz, gz.length / 2));
        InputDataException e = assertThrows(InputDataException.class, () -> IdxReader.read(p));
        assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("(decompressed) at byte "), e.getMessage());
    }

    @Test void truncatedHeader() throws Exception {
        Path p = write("header", Arrays.copyOf(idx(new int[] {3, 3, 3}, new byte[27]), 9));
        InputDataException e = assertThrows(InputDataException.class, () -> IdxReader.read(p));
        assertTrue(e.getMessage().contains("at byte 9") && e.getMessage().contains("header"), e.getMessage());
    }

    @Test void trailingBytes() throws Exception {
        byte[] file = idx(new int[] {2, 2}, body(4));
        Path p = write("long", Arrays.copyOf(file, file.length + 3));
        InputDataException e = assertThrows(InputDataException.class, () -> IdxReader.read(p));
        assertTrue(e.getMessage().contains("at byte 16") && e.getMessage().contains("after the data"), e.getMessage());
        Path g = write("long.gz", gzip(Arrays.copyOf(file, file.length + 3)));
        e = assertThrows(InputDataException.class, () -> IdxReader.read(g));
        assertTrue(e.getMessage().contains("at byte 16"), e.getMessage());
    }

    /** 20-byte files whose headers claim gigabytes: clean errors, no OutOfMemoryError. */
    @Test void forgedHugeDimensions() throws Exception {
        int[][] forged = {
            {0x7fff_0000, 0x7fff_0000, 0x7fff_0000}, // product far beyond any array
            {-1, 28, 28},                             // 4,294,967,295 records (unsigned)
            {2_000_000, 1_000, 1},                    // 2e9 bytes: fits an array, but the file has 4
        };
        for (int[] dims : forged) {
            Path p = write("forged", idx(dims, new byte[] {1, 2, 3, 4}));
            assertEquals(20, Files.size(p));
            InputDataException e = assertThrows(InputDataException.class, () -> IdxReader.read(p));
            assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        }
    }

    @Test void emptyAndMissingFiles() throws Exception {
        Path empty = write("empty", new byte[0]);
        InputDataException e = assertThrows(InputDataException.class, () -> IdxReader.read(empty));
        assertTrue(e.getMessage().contains("at byte 0"), e.getMessage());
        Path missing = tmp.resolve("nope");
        e = assertThrows(InputDataException.class, () -> IdxReader.read(missing));
        assertEquals(missing + ": no such file", e.getMessage());
    }

    /** The full-size originals have 60,000 records: the growing buffer must reach 47 MB intact. */
    @Test void readsFullSizeFile() throws Exception {
        int n = 60_000, rec = 28 * 28;
        byte[] body = new byte[n * rec];
        for (int i = 0; i < n; i++) body[i * rec + (i % rec)] = (byte) (i % 251);
        Path p = write("train-images-idx3-ubyte", idx(new int[] {n, 28, 28}, body));
        IdxReader.IdxArray a = IdxReader.read(p);
        assertEquals(n, a.count());
        assertEquals(59_999 % 251, a.ubyte(59_999 * rec + 59_999 % rec));
        assertArrayEquals(body, a.data());
    }
}
