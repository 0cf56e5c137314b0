package org.neurite.models.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of the MNIST family: a 4-byte magic {@code 0x00 0x00 TYPE RANK},
 * RANK big-endian unsigned 32-bit dimensions, then the elements, big-endian, row-major. A file
 * that starts with the gzip magic {@code 0x1f 0x8b} is decompressed on the fly, so
 * {@code train-images-idx3-ubyte} and {@code train-images-idx3-ubyte.gz} read the same.
 *
 * <p>Every check names the file and the byte offset: the magic, the element type, the rank, the
 * dimensions, and that the data is exactly as long as the dimensions say (no shorter, no
 * trailing bytes). In a gzipped file the offsets count decompressed bytes.
 *
 * <p>Forged dimensions cannot make it allocate much: the body buffer starts at no more than
 * 1 MiB and grows only as real bytes arrive, so memory stays within twice the real data.
 */
public final class IdxReader {
    /** Element types of the IDX format. */
    public static final int UBYTE = 0x08, BYTE = 0x09, SHORT = 0x0B, INT = 0x0C, FLOAT = 0x0D, DOUBLE = 0x0E;

    private static final int MAX_RANK = 16;
    private static final long MAX_BODY = Integer.MAX_VALUE - 8; // largest Java array
    private static final int FIRST_CHUNK = 1 << 20;

    /**
     * The contents of one IDX file: its element type, its dimensions (outermost first) and its
     * elements as the raw big-endian bytes of the file.
     */
    public record IdxArray(String source, int type, int[] dims, byte[] data) {
        /** Number of records: the outermost dimension. */
        public int count() { return dims[0]; }

        /** Elements per record: the product of the inner dimensions. */
        public int recordSize() {
            int n = 1;
            for (int i = 1; i < dims.length; i++) n *= dims[i];
            return n;
        }

        /** Element {@code i} of an unsigned-byte file, 0..255. */
        public int ubyte(int i) { return data[i] & 0xff; }
    }

    private IdxReader() { }

    /** Reads {@code file}, gzipped or plain. */
    public static IdxArray read(Path file) throws InputDataException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw InputDataException.in(file.toString(), "no such file");
        } catch (IOException e) {
            throw InputDataException.in(file.toString(), "cannot read: " + e.getMessage());
        }
    }

    /** Reads an IDX stream, gzipped or plain; {@code source} names it in errors. Does not close {@code raw}. */
    public static IdxArray read(InputStream raw, String source) throws InputDataException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        try {
            buffered.mark(2);
            boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
            buffered.reset();
            if (!gzip) return readIdx(buffered, source, source);
            return readIdx(new GZIPInputStream(buffered, 1 << 16), source, source + " (decompressed)");
        } catch (EOFException | ZipException e) {
            throw InputDataException.in(source, "corrupt or truncated gzip data: " + e.getMessage());
        } catch (IOException e) {
            throw InputDataException.in(source, "cannot read: " + e.getMessage());
        }
    }

    private static IdxArray readIdx(InputStream in, String source, String where) throws IOException, InputDataException {
        byte[] magic = new byte[4];
        int got = in.readNBytes(magic, 0, 4);
        if (got < 4) throw InputDataException.at(where, got, "file ends inside the 4-byte IDX magic");
        if (magic[0] != 0 || magic[1] != 0) {
            throw InputDataException.at(where, 0, String.format(
                    "bad magic 0x%02x%02x%02x%02x, not an IDX file (expected 0x0000, type, rank)",
                    magic[0], magic[1], magic[2], magic[3]));
        }
        int type = magic[2] & 0xff;
        int elementSize = elementSize(type);
        if (elementSize == 0) throw InputDataException.at(where, 2, String.format("unknown IDX element type 0x%02x", type));
        int rank = magic[3] & 0xff;
        if (rank < 1 || rank > MAX_RANK) throw InputDataException.at(where, 3, "rank " + rank + " is not in 1.." + MAX_RANK);

        int headerSize = 4 + 4 * rank;
        byte[] header = new byte[4 * rank];
        got = in.readNBytes(header, 0, header.length);
        if (got < header.length) {
            throw InputDataException.at(where, 4 + got, "file ends inside the header (rank " + rank + " needs " + headerSize + " bytes)");
        }
        int[] dims = new int[rank];
        long bodySize = elementSize;
        for (int i = 0; i < rank; i++) {
            long d = ((header[4 * i] & 0xffL) << 24) | ((header[4 * i + 1] & 0xff) << 16)
                    | ((header[4 * i + 2] & 0xff) << 8) | (header[4 * i + 3] & 0xff);
            if (d > Integer.MAX_VALUE) throw InputDataException.at(where, 4 + 4 * i, "dimension " + i + " is " + d + ", too large");
            dims[i] = (int) d;
            bodySize = Math.min(bodySize * d, MAX_BODY + 1); // saturates; both factors < 2^31, so no overflow
        }
        if (bodySize > MAX_BODY) {
            throw InputDataException.at(where, 4, "dimensions " + Arrays.toString(dims) + " need more data than one array holds");
        }
        byte[] body = readBody(in, (int) bodySize, where, headerSize, dims);
        return new IdxArray(source, type, dims, body);
    }

    /** Reads exactly {@code size} bytes, growing the buffer only as data arrives, then expects the end. */
    private static byte[] readBody(InputStream in, int size, String where, int headerSize, int[] dims)
            throws IOException, InputDataException {
        byte[] buf = new byte[Math.min(size, FIRST_CHUNK)];
        int n = 0;
        try {
            while (n < size) {
                if (n == buf.length) buf = Arrays.copyOf(buf, (int) Math.min(size, 2L * buf.length));
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) break;
                n += r;
            }
        } catch (EOFException e) { // a cut-off gzip stream: report how far the data went
            throw InputDataException.at(where, (long) headerSize + n, "gzip stream ends early (file truncated?), dimensions "
                    + Arrays.toString(dims) + " need " + ((long) headerSize + size) + " bytes");
        }
        if (n < size) {
            throw InputDataException.at(where, (long) headerSize + n, "data ends here, but dimensions "
                    + Arrays.toString(dims) + " need " + ((long) headerSize + size) + " bytes (file truncated?)");
        }
        if (in.read() >= 0) {
            throw InputDataException.at(where, (long) headerSize + size, "unexpected bytes after the data of dimensions "
                    + Arrays.toString(dims));
        }
        return buf;
    }

    /** Bytes per element of an IDX type code; 0 for an unknown code. */
    static int elementSize(int type) {
        return switch (type) {
            case UBYTE, BYTE -> 1;
            case SHORT -> 2;
            case INT, FLOAT -> 4;
            case DOUBLE -> 8;
            default -> 0;
        };
    }
}
