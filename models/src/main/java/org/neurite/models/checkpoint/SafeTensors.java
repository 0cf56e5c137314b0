package org.neurite.models.checkpoint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.neurite.models.data.InputDataException;
import org.neurite.runtime.Tensor;

/**
 * The safetensors format (Hugging Face), so PyTorch's {@code safetensors.torch.load_file} reads
 * our weights and we read theirs:
 * <pre>
 *   8 bytes   N, the header length, unsigned little-endian
 *   N bytes   JSON: {"__metadata__": {str: str}, "name": {"dtype": "F32", "shape": [..],
 *             "data_offsets": [begin, end]}, ...}, padded with spaces to a multiple of 8
 *   rest      the tensors' bytes, little-endian, back to back; offsets count from here
 * </pre>
 * Written as the reference implementation writes it: compact JSON, {@code __metadata__} first
 * (only when there is some), tensors sorted by name (UTF-8 byte order), data in the same order.
 * Only F32 for now.
 *
 * <pre>{@code
 * SafeTensors.write(path, Map.of("fc.weight", w, "fc.bias", b), Map.of("format", "pt"));
 * SafeTensors.Contents c = SafeTensors.read(path);   // c.tensors().get("fc.weight")
 * }</pre>
 */
public final class SafeTensors {
    /** Key of the free-form string map in the header. */
    public static final String METADATA = "__metadata__";

    /** The reference implementation's limit; larger headers are refused before allocating. */
    static final long MAX_HEADER = 100_000_000;

    /** Strict: a duplicate key or anything after the JSON object (but spaces) is an error. */
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** What a file holds: tensors in header order, and the metadata map (empty when absent). */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) { }

    private SafeTensors() { }

    /** Writes {@code tensors} and {@code metadata} to {@code file} atomically (see {@link AtomicFiles}). */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        AtomicFiles.write(file, out -> write(out, tensors, metadata));
    }

    /** Writes the safetensors bytes of {@code tensors} and {@code metadata} to {@code out}. */
    public static void write(OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        List<String> names = sortedNames(tensors);
        out.write(header(names, tensors, metadata));
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (String name : names) {
            float[] data = tensors.get(name).toCpu().data();   // a device tensor is downloaded
            for (int from = 0; from < data.length; from += chunk.capacity() / 4) {
                int n = Math.min(chunk.capacity() / 4, data.length - from);
                chunk.clear();
                chunk.asFloatBuffer().put(data, from, n);
                out.write(chunk.array(), 0, 4 * n);
            }
        }
    }

    /** The length prefix and the padded JSON header, for tensors in {@code names} order. */
    static byte[] header(List<String> names, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode m = root.putObject(METADATA);
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (String name : names) {
            Tensor t = tensors.get(name);
            ObjectNode info = root.putObject(name);
            info.put("dtype", "F32");
            ArrayNode shape = info.putArray("shape");
            for (int d : t.shape().dims()) shape.add(d);
            long end = offset + 4L * t.size();
            info.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = JSON.writeValueAsBytes(root);
        int padded = (json.length + 7) / 8 * 8; // so the data starts 8-byte aligned
        ByteBuffer b = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(json);
        while (b.hasRemaining()) b.put((byte) ' ');
        return b.array();
    }

    private static List<String> sortedNames(Map<String, Tensor> tensors) {
        List<String> names = new ArrayList<>(tensors.keySet());
        for (String n : names) {
            if (n.equals(METADATA)) throw new IllegalArgumentException("tensor name " + METADATA + " is reserved");
        }
        // Rust compares strings by UTF-8 bytes; Java's compareTo uses UTF-16 units, which differ beyond the BMP.
        names.sort(Comparator.comparing((String n) -> n.getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
        return names;
    }

    /**
     * Reads and validates {@code file}: header length against the file size, well-formed JSON,
     * dtype F32, shapes, and offsets that lie in the data section and tile it exactly (no gap, no
     * overlap, nothing after). Nothing is allocated from a size that was not checked against the
     * real file first. Every error names the file and the offending tensor or field.
     */
    public static Contents read(Path file) throws InputDataException {
        return SafeTensorsReader.read(file);
    }
}
