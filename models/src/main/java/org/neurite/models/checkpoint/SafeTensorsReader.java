package org.neurite.models.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.models.data.InputDataException;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/** The validating reader behind {@link SafeTensors#read}: parse, check everything, then allocate and read. */
final class SafeTensorsReader {
    /** One tensor's header entry, checked for its own consistency. */
    private record Entry(String name, int[] shape, long begin, long end) { }

    /** Where element counts stop growing: more than any file can hold as one tensor (2^31 floats). */
    private static final long SATURATED = 1L << 32;

    private final Path file;
    private final String src;

    private SafeTensorsReader(Path file) {
        this.file = file;
        this.src = file.toString();
    }

    static SafeTensors.Contents read(Path file) throws InputDataException {
        SafeTensorsReader r = new SafeTensorsReader(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return r.read(ch);
        } catch (NoSuchFileException e) {
            throw InputDataException.in(file.toString(), "no such file");
        } catch (IOException e) {
            throw InputDataException.in(file.toString(), "cannot read: " + e.getMessage());
        }
    }

    private SafeTensors.Contents read(FileChannel ch) throws IOException, InputDataException {
        long size = ch.size();
        if (size < 8) throw InputDataException.at(src, 0, "file has " + size + " bytes, too short for the 8-byte header length");
        long n = readBytes(ch, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 2 || n > size - 8) {
            throw InputDataException.at(src, 0, "header length " + Long.toUnsignedString(n) + " does not fit a file of " + size
                    + " bytes (truncated or not safetensors?)");
        }
        if (n > SafeTensors.MAX_HEADER) throw InputDataException.at(src, 0, "header length " + n + " exceeds the limit " + SafeTensors.MAX_HEADER);
        byte[] header = readBytes(ch, 8, (int) n).array();
        long dataStart = 8 + n;
        long dataSize = size - dataStart;

        JsonNode root = parse(header);
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals(SafeTensors.METADATA)) {
                readMetadata(f.getValue(), metadata);
            } else {
                entries.add(entry(f.getKey(), f.getValue(), dataSize));
            }
        }
        checkTiling(entries, dataStart, dataSize);

        Map<String, Tensor> tensors = new LinkedHashMap<>();
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        for (Entry e : entries) tensors.put(e.name, readTensor(ch, e, dataStart, chunk));
        return new SafeTensors.Contents(tensors, metadata);
    }

    private JsonNode parse(byte[] header) throws InputDataException {
        if (header[0] != '{') throw InputDataException.at(src, 8, "header does not start with '{' (not safetensors?)");
        try {
            return SafeTensors.JSON.readTree(header);
        } catch (JsonProcessingException e) {
            long at = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
            String what = "header is not valid JSON: " + e.getOriginalMessage();
            throw at >= 0 ? InputDataException.at(src, 8 + at, what) : InputDataException.in(src, what);
        } catch (IOException e) {
            throw InputDataException.in(src, "header is not valid JSON: " + e.getMessage());
        }
    }

    private void readMetadata(JsonNode node, Map<String, String> out) throws InputDataException {
        if (!node.isObject()) throw InputDataException.in(src, "header field __metadata__ is not an object");
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getValue().isTextual()) {
                throw InputDataException.in(src, "__metadata__ field '" + f.getKey() + "' is not a string");
            }
            out.put(f.getKey(), f.getValue().textValue());
        }
    }

    private Entry entry(String name, JsonNode info, long dataSize) throws InputDataException {
        String what = "tensor '" + name + "'";
        if (!info.isObject()) throw InputDataException.in(src, what + " is not an object");
        JsonNode dtype = info.get("dtype");
        if (dtype == null || !dtype.isTextual()) throw InputDataException.in(src, what + ": missing or non-string dtype");
        if (!dtype.textValue().equals("F32")) {
            throw InputDataException.in(src, what + ": dtype " + dtype.textValue() + " is not supported (only F32)");
        }
        JsonNode shapeNode = info.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) throw InputDataException.in(src, what + ": missing or non-array shape");
        int[] shape = new int[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToInt() || d.intValue() < 0) {
                throw InputDataException.in(src, what + ": shape " + shapeNode + " has an invalid dimension " + d);
            }
            shape[i] = d.intValue();
            // Saturates (a zero dimension still gives 0): count <= 2^32 and dim < 2^31 keep the product
            // below 2^63; a product that wrapped could forge a match with the offsets.
            count = Math.min(count * shape[i], SATURATED);
        }
        JsonNode off = info.get("data_offsets");
        if (off == null || !off.isArray() || off.size() != 2 || !isOffset(off.get(0)) || !isOffset(off.get(1))) {
            throw InputDataException.in(src, what + ": data_offsets must be two non-negative integers, found " + off);
        }
        long begin = off.get(0).longValue(), end = off.get(1).longValue();
        if (begin > end || end > dataSize) {
            throw InputDataException.in(src, what + ": data_offsets [" + begin + ", " + end + "] out of range of the "
                    + dataSize + "-byte data section (truncated file?)");
        }
        if (count * 4 != end - begin) {
            String need = (count == SATURATED ? "at least " : "") + count * 4;
            throw InputDataException.in(src, what + ": shape " + shapeNode + " needs " + need + " bytes of F32 but data_offsets ["
                    + begin + ", " + end + "] hold " + (end - begin));
        }
        if (count > Integer.MAX_VALUE - 8) throw InputDataException.in(src, what + ": " + count + " elements are too many for one tensor");
        return new Entry(name, shape, begin, end);
    }

    private static boolean isOffset(JsonNode n) {
        return n != null && n.isIntegralNumber() && n.canConvertToLong() && n.longValue() >= 0;
    }

    /** Sorted by offset, the tensors must cover the data section exactly: no gap, no overlap, nothing after. */
    private void checkTiling(List<Entry> entries, long dataStart, long dataSize) throws InputDataException {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        for (Entry e : byOffset) {
            if (e.begin != expected) {
                throw InputDataException.in(src, "tensor '" + e.name + "': data_offsets [" + e.begin + ", " + e.end + "] "
                        + (e.begin < expected ? "overlap" : "leave a gap before") + " the previous tensor, which ends at " + expected);
            }
            expected = e.end;
        }
        if (expected != dataSize) {
            throw InputDataException.at(src, dataStart + expected, (dataSize - expected)
                    + " bytes after the last tensor's data");
        }
    }

    private Tensor readTensor(FileChannel ch, Entry e, long dataStart, ByteBuffer chunk) throws IOException, InputDataException {
        float[] data = new float[(int) ((e.end - e.begin) / 4)];
        long pos = dataStart + e.begin;
        for (int from = 0; from < data.length; ) {
            int n = Math.min(chunk.capacity() / 4, data.length - from);
            chunk.clear().limit(4 * n);
            readFully(ch, chunk, pos);
            chunk.flip();
            chunk.asFloatBuffer().get(data, from, n);
            from += n;
            pos += 4L * n;
        }
        return Tensor.wrap(Shape.of(e.shape), data);
    }

    private ByteBuffer readBytes(FileChannel ch, long pos, int n) throws IOException, InputDataException {
        ByteBuffer b = ByteBuffer.allocate(n);
        readFully(ch, b, pos);
        b.flip();
        return b;
    }

    private void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException, InputDataException {
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) throw InputDataException.at(src, pos, "file ends early (it changed while being read?)");
            pos += r;
        }
    }
}
