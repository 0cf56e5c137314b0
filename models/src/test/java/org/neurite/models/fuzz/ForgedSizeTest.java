package org.neurite.models.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.models.checkpoint.SafeTensors;
import org.neurite.models.data.IdxReader;
import org.neurite.models.data.InputDataException;

/**
 * Headers that claim gigabytes over a few real bytes must fail at once, naming the file and the
 * offset, without allocating the claimed size: each read is measured with the thread's allocation
 * counter ({@code com.sun.management.ThreadMXBean}) and must stay under {@link #BUDGET}.
 */
class ForgedSizeTest {
    /** What a refused read may allocate: IDX starts its body buffer at 1 MiB, plus stream buffers. */
    private static final long BUDGET = 4L << 20;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @TempDir Path dir;

    @BeforeAll
    static void counterWorks() {
        assertTrue(THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled(),
                "this JVM cannot count allocated bytes per thread");
    }

    /** IDX header: 4-byte magic (type, rank), then big-endian dimensions. */
    private static byte[] idxHeader(int type, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length).put(new byte[] {0, 0, (byte) type, (byte) dims.length});
        for (int d : dims) b.putInt(d);
        return b.array();
    }

    @Test
    void idxClaimingAGigabyteFailsAtTheEndOfTheRealData() throws IOException {
        Path file = dir.resolve("forged-idx3-ubyte");
        byte[] header = idxHeader(IdxReader.UBYTE, 1_000_000, 1000); // 10^9 bytes claimed
        Files.write(file, concat(header, new byte[] {1, 2}));
        String m = refusedWithin(BUDGET, () -> IdxReader.read(file));
        assertEquals(file + " at byte 14: data ends here, but dimensions [1000000, 1000] need 1000000012 bytes (file truncated?)", m);
    }

    @Test
    void gzippedIdxClaimingAGigabyteFailsToo() throws IOException {
        Path file = dir.resolve("forged-idx3-ubyte.gz");
        Files.write(file, ReaderFuzzTest.gzip(concat(idxHeader(IdxReader.FLOAT, 250_000_000), new byte[4]))); // 10^9 bytes
        String m = refusedWithin(BUDGET, () -> IdxReader.read(file));
        assertEquals(file + " (decompressed) at byte 12: data ends here, but dimensions [250000000] need 1000000008 bytes"
                + " (file truncated?)", m);
    }

    @Test
    void idxWhoseDimensionsExceedAnArrayFailsBeforeReading() throws IOException {
        Path file = dir.resolve("huge-idx");
        Files.write(file, idxHeader(IdxReader.DOUBLE, 65536, 65536)); // 32 GiB claimed
        String m = refusedWithin(BUDGET, () -> IdxReader.read(file));
        assertEquals(file + " at byte 4: dimensions [65536, 65536] need more data than one array holds", m);
    }

    @Test
    void safetensorsHeaderLengthOfATerabyteFailsAtByteZero() throws IOException {
        Path file = dir.resolve("forged-length.safetensors");
        Files.write(file, concat(le64(1L << 40), "{}".getBytes(StandardCharsets.US_ASCII)));
        String m = refusedWithin(BUDGET, () -> SafeTensors.read(file));
        assertEquals(file + " at byte 0: header length 1099511627776 does not fit a file of 10 bytes (truncated or not safetensors?)", m);
    }

    @Test
    void safetensorsTensorClaimingSixteenGigabytesFailsOnItsOffsets() throws IOException {
        Path file = dir.resolve("forged-tensor.safetensors");
        Files.write(file, safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,17179869184]}}", 8));
        String m = refusedWithin(BUDGET, () -> SafeTensors.read(file));
        assertEquals(file + ": tensor 'w': data_offsets [0, 17179869184] out of range of the 8-byte data section (truncated file?)", m);
    }

    @Test
    void safetensorsShapeWhoseElementCountWrapsToZeroIsRefused() throws IOException {
        // 2^30 * 2^29 * 16 = 2^63 elements, which is 0 in wrapped 64-bit arithmetic, like data_offsets [0, 0].
        Path file = dir.resolve("wrapping-shape.safetensors");
        Files.write(file, safetensors("{\"x\":{\"dtype\":\"F32\",\"shape\":[1073741824,536870912,16],\"data_offsets\":[0,0]}}", 0));
        String m = refusedWithin(BUDGET, () -> SafeTensors.read(file));
        assertEquals(file + ": tensor 'x': shape [1073741824,536870912,16] needs at least 17179869184 bytes of F32"
                + " but data_offsets [0, 0] hold 0", m);
    }

    @Test
    void aLineBreakInATensorNameIsEscapedInTheMessage() throws IOException {
        Path file = dir.resolve("name.safetensors");
        Files.write(file, safetensors("{\"a\\nb\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}", 2));
        String m = refusedWithin(BUDGET, () -> SafeTensors.read(file));
        assertEquals(file + ": tensor 'a\\nb': dtype F16 is not supported (only F32)", m);
    }

    private interface Read {
        Object run() throws InputDataException;
    }

    /**
     * Runs {@code read}, which must refuse, twice: the first run loads classes (one-time
     * allocations), the second is measured. Returns the message.
     */
    private static String refusedWithin(long budget, Read read) {
        assertThrows(InputDataException.class, read::run);
        long before = THREADS.getCurrentThreadAllocatedBytes();
        InputDataException e = assertThrows(InputDataException.class, read::run);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < budget, "allocated " + allocated + " bytes to refuse the file, budget " + budget + ": " + e.getMessage());
        return e.getMessage();
    }

    private static byte[] safetensors(String json, int dataBytes) {
        byte[] j = json.getBytes(StandardCharsets.UTF_8);
        return concat(le64(j.length), j, new byte[dataBytes]);
    }

    private static byte[] le64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) b.put(p);
        return b.array();
    }
}
