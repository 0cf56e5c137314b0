package org.neurite.models.torch;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.models.checkpoint.AtomicFiles;
import org.neurite.models.data.InputDataException;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * Safetensors as PyTorch writes a state_dict ({@code safetensors.torch.save_file}): besides F32,
 * reads F64, F16 and BF16 (converted to float32) and the integer tensors I64 and I32 (batch norm's
 * {@code num_batches_tracked} is an I64 scalar); writes F32 and I64. The checkpoint reader
 * ({@code checkpoint.SafeTensors}) stays F32-only and strict; this one serves the PyTorch bridge.
 * <pre>{@code
 * TorchSafeTensors.Contents c = TorchSafeTensors.read(Path.of("resnet18.safetensors"));
 * Tensor w = c.floats().get("conv1.weight");        // c.integers().get("bn1.num_batches_tracked")
 * TorchSafeTensors.write(out, floats, Map.of("bn1.num_batches_tracked", new IntTensor(Shape.of(), new long[] {0})), meta);
 * }</pre>
 */
public final class TorchSafeTensors {
    private static final long MAX_HEADER = 100_000_000;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** An integer tensor: shape and values. */
    public record IntTensor(Shape shape, long[] values) { }

    /** Float tensors (float32 now), integer tensors and metadata, each in header order. */
    public record Contents(Map<String, Tensor> floats, Map<String, IntTensor> integers, Map<String, String> metadata) { }

    private TorchSafeTensors() { }

    /** Reads every tensor of {@code file}; a dtype other than F32/F64/F16/BF16/I64/I32 is an error naming it. */
    public static Contents read(Path file) throws InputDataException {
        String src = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw InputDataException.at(src, 0, "file has " + size + " bytes, too short for safetensors");
            long n = bytes(ch, 0, 8).getLong();
            if (n < 2 || n > size - 8 || n > MAX_HEADER) {
                throw InputDataException.at(src, 0, "header length " + Long.toUnsignedString(n) + " does not fit a file of " + size + " bytes");
            }
            JsonNode root;
            try {
                root = JSON.readTree(bytes(ch, 8, (int) n).array());
            } catch (IOException e) {
                throw InputDataException.at(src, 8, "header is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
            }
            if (root == null || !root.isObject()) throw InputDataException.at(src, 8, "header is not a JSON object");
            long dataStart = 8 + n, dataSize = size - dataStart;
            Map<String, Tensor> floats = new LinkedHashMap<>();
            Map<String, IntTensor> ints = new LinkedHashMap<>();
            Map<String, String> meta = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().equals("__metadata__")) {
                    f.getValue().fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                readTensor(ch, src, f.getKey(), f.getValue(), dataStart, dataSize, floats, ints);
            }
            return new Contents(floats, ints, meta);
        } catch (NoSuchFileException e) {
            throw InputDataException.in(src, "no such file");
        } catch (IOException e) {
            throw InputDataException.in(src, "cannot read: " + e.getMessage());
        }
    }

    private static void readTensor(FileChannel ch, String src, String name, JsonNode info, long dataStart, long dataSize,
                                   Map<String, Tensor> floats, Map<String, IntTensor> ints) throws IOException, InputDataException {
        String what = "tensor '" + name + "'";
        String dtype = info.path("dtype").asText("");
        int width = switch (dtype) {
            case "F64", "I64" -> 8;
            case "F32", "I32" -> 4;
            case "F16", "BF16" -> 2;
            default -> throw InputDataException.in(src, what + ": dtype '" + dtype + "' is not supported (F32, F64, F16, BF16, I64, I32)");
        };
        JsonNode shapeNode = info.path("shape");
        JsonNode off = info.path("data_offsets");
        if (!shapeNode.isArray() || !off.isArray() || off.size() != 2) throw InputDataException.in(src, what + ": missing shape or data_offsets");
        int[] dims = new int[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToInt() || d.intValue() < 0) throw InputDataException.in(src, what + ": invalid shape " + shapeNode);
            dims[i] = d.intValue();
            count = Math.min(count * dims[i], Integer.MAX_VALUE + 1L);
        }
        long begin = off.get(0).asLong(-1), end = off.get(1).asLong(-1);
        if (count > Integer.MAX_VALUE - 8 || begin < 0 || end < begin || end > dataSize || (end - begin) != count * width) {
            throw InputDataException.in(src, what + ": shape " + shapeNode + " of " + dtype + " does not fit data_offsets " + off
                    + " in a " + dataSize + "-byte data section");
        }
        ByteBuffer b = bytes(ch, dataStart + begin, (int) (end - begin));
        int c = (int) count;
        if (dtype.startsWith("I")) {
            long[] v = new long[c];
            for (int i = 0; i < c; i++) v[i] = width == 8 ? b.getLong() : b.getInt();
            ints.put(name, new IntTensor(Shape.of(dims), v));
            return;
        }
        float[] v = new float[c];
        for (int i = 0; i < c; i++) {
            v[i] = switch (dtype) {
                case "F64" -> (float) b.getDouble();
                case "F16" -> Float.float16ToFloat(b.getShort());
                case "BF16" -> Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
                default -> b.getFloat();
            };
        }
        floats.put(name, Tensor.wrap(Shape.of(dims), v));
    }

    private static ByteBuffer bytes(FileChannel ch, long at, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) throw new IOException("unexpected end of file at byte " + (at + b.position()));
        }
        return b.flip();
    }

    /**
     * Writes F32 {@code floats} and I64 {@code integers} (names must differ) atomically, as the
     * reference implementation does: compact JSON, metadata first, tensors sorted by name.
     */
    public static void write(Path file, Map<String, Tensor> floats, Map<String, IntTensor> integers, Map<String, String> metadata)
            throws IOException {
        AtomicFiles.write(file, out -> write(out, floats, integers, metadata));
    }

    static void write(OutputStream out, Map<String, Tensor> floats, Map<String, IntTensor> integers, Map<String, String> metadata)
            throws IOException {
        List<String> names = new ArrayList<>(floats.keySet());
        for (String k : integers.keySet()) {
            if (floats.containsKey(k)) throw new IllegalArgumentException("tensor " + k + " given as float and as integer");
            names.add(k);
        }
        names.sort(Comparator.comparing(s -> new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)));
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = root.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (String name : names) {
            Tensor f = floats.get(name);
            int[] dims = f != null ? f.shape().dims() : integers.get(name).shape().dims();
            long bytes = f != null ? 4L * f.size() : 8L * integers.get(name).values().length;
            ObjectNode e = root.putObject(name);
            e.put("dtype", f != null ? "F32" : "I64");
            e.putArray("shape").addAll(java.util.Arrays.stream(dims).mapToObj(JSON.getNodeFactory()::numberNode).toList());
            e.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] js = JSON.writeValueAsBytes(root);
        int padded = (js.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(js);
        while (head.hasRemaining()) head.put((byte) ' ');
        out.write(head.array());
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);  // big tensors go out in pieces
        for (String name : names) {
            Tensor f = floats.get(name);
            if (f != null) {
                float[] v = f.data();
                for (int from = 0; from < v.length; from += chunk.capacity() / 4) {
                    int k = Math.min(chunk.capacity() / 4, v.length - from);
                    chunk.clear();
                    chunk.asFloatBuffer().put(v, from, k);
                    out.write(chunk.array(), 0, 4 * k);
                }
            } else {
                long[] v = integers.get(name).values();
                ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
                b.asLongBuffer().put(v);
                out.write(b.array());
            }
        }
    }
}
