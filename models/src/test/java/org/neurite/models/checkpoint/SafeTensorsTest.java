package org.neurite.models.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.models.data.InputDataException;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

class SafeTensorsTest {
    @TempDir Path tmp;

    private static Tensor tensor(float[] v, int... dims) {
        return Tensor.wrap(Shape.of(dims), v);
    }

    @Test void roundTrip() throws Exception {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("z.last", tensor(new float[] {1.5f, -0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NaN, -3e-7f}, 2, 3));
        in.put("a.first", tensor(new float[] {42f}));       // a scalar: shape []
        in.put("m.empty", tensor(new float[0], 0, 4));
        float[] big = new float[100_000];                    // spans several write chunks
        for (int i = 0; i < big.length; i++) big[i] = (float) Math.sin(i);
        in.put("m.big", tensor(big, 250, 400));
        Path f = tmp.resolve("t.safetensors");
        SafeTensors.write(f, in, Map.of("format", "pt", "note", "é ü"));

        SafeTensors.Contents c = SafeTensors.read(f);
        assertEquals(List.of("a.first", "m.big", "m.empty", "z.last"), List.copyOf(c.tensors().keySet()), "sorted by name");
        for (Map.Entry<String, Tensor> e : in.entrySet()) {
            Tensor t = c.tensors().get(e.getKey());
            assertEquals(e.getValue().shape(), t.shape(), e.getKey());
            assertArrayEquals(bits(e.getValue().data()), bits(t.data()), e.getKey());
        }
        assertEquals(Map.of("format", "pt", "note", "é ü"), c.metadata());
        assertEquals(0, (Files.size(f) - 8 - Arrays.stream(in.values().toArray(Tensor[]::new)).mapToLong(t -> 4L * t.size()).sum()) % 8,
                "header padded to a multiple of 8");
    }

    private static int[] bits(float[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) b[i] = Float.floatToRawIntBits(a[i]);
        return b;
    }

    /** Every byte of a one-tensor file, worked out by hand. */
    @Test void knownBytes() throws Exception {
        Path f = tmp.resolve("a.safetensors");
        SafeTensors.write(f, Map.of("a", tensor(new float[] {1f, -2f}, 2)), Map.of());
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"; // 54 bytes
        ByteBuffer expected = ByteBuffer.allocate(72);
        expected.put(new byte[] {56, 0, 0, 0, 0, 0, 0, 0});                // 54 padded to 56, little-endian
        expected.put(json.getBytes(StandardCharsets.US_ASCII)).put((byte) ' ').put((byte) ' ');
        expected.put(new byte[] {0, 0, (byte) 0x80, 0x3f});                 // 1.0f = 0x3f800000
        expected.put(new byte[] {0, 0, 0, (byte) 0xc0});                    // -2.0f = 0xc0000000
        assertEquals(54, json.length());
        assertArrayEquals(expected.array(), Files.readAllBytes(f));
    }

    @Test void metadataComesFirst() throws Exception {
        Path f = tmp.resolve("m.safetensors");
        SafeTensors.write(f, Map.of("w", tensor(new float[] {0f}, 1)), Map.of("format", "pt"));
        String header = new String(Files.readAllBytes(f), 8, 80, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\"},\"w\":{"), header);
    }

    /** A file from a hand-written header and data bytes (the header is padded like the writer does). */
    private Path raw(String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return Files.write(tmp.resolve("raw.safetensors"), b.array());
    }

    private String error(Path f) {
        InputDataException e = assertThrows(InputDataException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        return e.getMessage();
    }

    @Test void corruptHeaders() throws Exception {
        assertTrue(error(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}", 8)).contains("not valid JSON"));
        assertTrue(error(raw("[1,2]", 0)).contains("does not start with '{'"));
        assertTrue(error(raw("{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4)).contains("tensor 'a': dtype F16"));
        assertTrue(error(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8)).contains("tensor 'a': shape [3] needs 12 bytes"));
        assertTrue(error(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8)).contains("invalid dimension -2"));
        assertTrue(error(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8)).contains("tensor 'a': data_offsets must be"));
        assertTrue(error(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"a\":{}}", 8)).contains("Duplicate field 'a'"));
        assertTrue(error(raw("{\"__metadata__\":{\"k\":1}}", 0)).contains("__metadata__ field 'k'"));
        assertTrue(error(raw("{} x", 0)).contains("not valid JSON"));
    }

    @Test void offsetsOutOfRangeOverlappingOrLeavingGaps() throws Exception {
        assertTrue(error(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[25],\"data_offsets\":[0,100]}}", 8))
                .contains("tensor 'a': data_offsets [0, 100] out of range of the 8-byte data section"));
        assertTrue(error(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8)).contains("overlap"));
        assertTrue(error(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8)).contains("gap"));
        assertTrue(error(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8)).contains("4 bytes after the last tensor"));
        assertTrue(error(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,99999999999999999999]}}", 8)).contains("data_offsets must be"));
    }

    @Test void truncatedAndTinyFiles() throws Exception {
        Path f = tmp.resolve("t.safetensors");
        SafeTensors.write(f, Map.of("w", tensor(new float[] {1, 2, 3, 4}, 4)), Map.of());
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length - 4));
        assertTrue(error(f).contains("out of range of the 12-byte data section (truncated file?)"));
        Files.write(f, Arrays.copyOf(all, 40));
        assertTrue(error(f).contains("header length"));
        Files.write(f, Arrays.copyOf(all, 5));
        assertTrue(error(f).contains("too short"));
        // A forged header length of 2^62 in a 16-byte file: refused before allocating.
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 62).putLong(0);
        Files.write(f, b.array());
        assertTrue(error(f).contains("header length 4611686018427387904 does not fit a file of 16 bytes"));
        b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).putLong(0);
        Files.write(f, b.array());
        assertTrue(error(f).contains("header length 18446744073709551615"));
    }

    @Test void emptyFileOfTensors() throws Exception {
        Path f = tmp.resolve("none.safetensors");
        SafeTensors.write(f, Map.of(), Map.of());
        assertEquals(16, Files.size(f)); // "{}" padded to 8
        assertTrue(SafeTensors.read(f).tensors().isEmpty());
    }
}
