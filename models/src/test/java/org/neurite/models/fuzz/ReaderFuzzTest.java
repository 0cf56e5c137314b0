package org.neurite.models.fuzz;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.neurite.models.fuzz.FuzzHarness.folder;
import static org.neurite.models.fuzz.FuzzHarness.readOrRefuse;
import static org.neurite.models.fuzz.FuzzHarness.split;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.neurite.layers.Param;
import org.neurite.models.checkpoint.Checkpoint;
import org.neurite.models.checkpoint.SafeTensors;
import org.neurite.models.checkpoint.TrainingState;
import org.neurite.models.data.IdxReader;
import org.neurite.models.data.InputDataException;
import org.neurite.models.data.MnistDataset;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * One coverage-guided fuzz target per reader of outside bytes (docs/FUZZING.md). In a plain test
 * run each method replays its seed corpus, {@code src/test/resources/org/neurite/models/fuzz/
 * ReaderFuzzTestInputs/<method>/}; with {@code JAZZER_FUZZ=1} Jazzer fuzzes the one selected method.
 *
 * <p>Every target lets the reader return data or refuse with {@code InputDataException}
 * ({@link FuzzHarness#readOrRefuse}); when it returns, the target checks the data against the
 * bytes it came from, so a reader that accepts nonsense is a finding too.
 */
class ReaderFuzzTest {
    /** Fuzzing time per target when run by hand; {@code -Djazzer.max_duration=...} overrides it. */
    private static final String MAX = "2m";

    @BeforeAll
    static void fastReplay() {
        FuzzHarness.replayWithoutSanitizerHooks();
    }

    /** IDX from a stream, plain or gzipped as the bytes come. */
    @FuzzTest(maxDuration = MAX)
    void idx(byte[] data) {
        IdxReader.IdxArray a = readOrRefuse("fuzz.idx", () -> IdxReader.read(new ByteArrayInputStream(data), "fuzz.idx"));
        if (a == null) return;
        long elements = 1;
        for (int d : a.dims()) elements *= d;
        check(a.data().length == elements * elementSize(a.type()), "data length disagrees with dims " + Arrays.toString(a.dims()));
        check(data.length == 4 + 4L * a.dims().length + a.data().length || isGzip(data), "accepted bytes beyond the data");
    }

    /**
     * IDX inside gzip: the payload is gzipped here (the fuzzer rarely forges a valid deflate
     * stream), then optionally cut short. Uncut, it must read exactly as the plain payload does.
     * Input: {@link FuzzHarness#split} into [cut (empty: none; else 4 bytes, position mod length), payload].
     */
    @FuzzTest(maxDuration = MAX)
    void idxGzipped(byte[] data) {
        byte[][] parts = split(data, 2);
        byte[] gz = gzip(parts[1]);
        if (parts[0].length >= 4) gz = Arrays.copyOf(gz, Math.floorMod(ByteBuffer.wrap(parts[0]).getInt(), gz.length));
        byte[] input = gz;
        IdxReader.IdxArray z = readOrRefuse("fuzz.idx.gz", () -> IdxReader.read(new ByteArrayInputStream(input), "fuzz.idx.gz"));
        if (parts[0].length >= 4 || isGzip(parts[1])) return;
        IdxReader.IdxArray p = readOrRefuse("fuzz.idx", () -> IdxReader.read(new ByteArrayInputStream(parts[1]), "fuzz.idx"));
        check((z == null) == (p == null), "gzipped and plain payloads read differently");
        if (z != null) {
            check(z.type() == p.type() && Arrays.equals(z.dims(), p.dims()) && Arrays.equals(z.data(), p.data()),
                    "gzipped and plain payloads give different arrays");
        }
    }

    /**
     * MNIST from a folder: input split into [labels, images], written under the standard names
     * (with {@code .gz} when the bytes are gzip), loaded by {@link MnistDataset#load}.
     */
    @FuzzTest(maxDuration = MAX)
    void mnistFolder(byte[] data) {
        byte[][] parts = split(data, 2);
        MnistDataset.Split split = MnistDataset.Split.TRAIN;
        Path dir = folder("mnist", Map.of(
                split.labelsFile() + (isGzip(parts[0]) ? ".gz" : ""), parts[0],
                split.imagesFile() + (isGzip(parts[1]) ? ".gz" : ""), parts[1]));
        MnistDataset ds = readOrRefuse(dir.toString(), () -> MnistDataset.load(dir, split));
        if (ds == null) return;
        check(ds.size() > 0 && ds.sampleShape().size() > 0, "accepted an empty data set: " + ds);
        Tensor batch = Tensor.zeros(ds.sampleShape()); // one sample, [1, H, W]
        for (int i : new int[] {0, ds.size() - 1}) {
            ds.copyInput(i, batch, 0);
            check(ds.label(i) >= 0 && ds.label(i) < ds.numClasses(), "label out of range at " + i);
            for (float v : batch.data()) check(v >= 0 && v <= 1, "pixel outside [0, 1] in sample " + i);
        }
    }

    /** A safetensors file, read by {@link SafeTensors#read}. */
    @FuzzTest(maxDuration = MAX)
    void safetensors(byte[] data) {
        Path file = folder("safetensors", Map.of("fuzz.safetensors", data)).resolve("fuzz.safetensors");
        SafeTensors.Contents c = readOrRefuse(file.toString(), () -> SafeTensors.read(file));
        if (c == null) return;
        long header = ByteBuffer.wrap(data, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        long floats = 0;
        for (Tensor t : c.tensors().values()) {
            BigInteger elements = BigInteger.ONE; // exact: a reader's 64-bit product may wrap
            for (int d : t.shape().dims()) elements = elements.multiply(BigInteger.valueOf(d));
            check(elements.equals(BigInteger.valueOf(t.data().length)), "shape " + t.shape() + " holds " + t.data().length + " floats");
            floats += t.data().length;
        }
        check(8 + header + 4 * floats == data.length, "tensors do not tile the data section");
    }

    /** A checkpoint's state.json, read by {@link Checkpoint#readState}. */
    @FuzzTest(maxDuration = MAX)
    void trainingState(byte[] data) {
        Path dir = folder("state", Map.of(Checkpoint.STATE, data));
        TrainingState s = readOrRefuse(dir.resolve(Checkpoint.STATE).toString(), () -> Checkpoint.readState(dir));
        if (s == null) return;
        check(s.epoch() >= 0 && s.batchInEpoch() >= 0 && s.globalStep() >= 0, "negative progress accepted");
    }

    /**
     * A whole checkpoint folder, [state.json, model.safetensors], loaded into a two-parameter model
     * by {@link Checkpoint#load}: either the weights arrive whole or the model is left untouched.
     */
    @FuzzTest(maxDuration = MAX)
    void checkpointLoad(byte[] data) {
        byte[][] parts = split(data, 2);
        Path dir = folder("checkpoint", Map.of(Checkpoint.STATE, parts[0], Checkpoint.WEIGHTS, parts[1]));
        List<Param> params = List.of(Param.of("fc.weight", Tensor.zeros(Shape.of(2, 3))), Param.of("fc.bias", Tensor.zeros(Shape.of(2))));
        for (Param p : params) Arrays.fill(p.value().data(), Float.NaN);
        TrainingState s = readOrRefuse(dir.toString(), () -> Checkpoint.load(dir, params, null));
        for (Param p : params) {
            boolean untouched = true;
            for (float v : p.value().data()) untouched &= Float.isNaN(v);
            check(s != null || untouched, "a refused checkpoint changed " + p.name());
        }
    }

    @Test
    void negativeProgressIsAnInputError() throws IOException {
        byte[] json = ReaderFuzzTest.class.getResourceAsStream("ReaderFuzzTestInputs/trainingState/seed-negative-epoch.bin").readAllBytes();
        Path dir = folder("state", Map.of(Checkpoint.STATE, json));
        InputDataException e = assertThrows(InputDataException.class, () -> Checkpoint.readState(dir));
        FuzzHarness.checkMessage(dir.resolve(Checkpoint.STATE).toString(), e);
    }

    private static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError(what);
    }

    private static boolean isGzip(byte[] b) {
        return b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
    }

    private static int elementSize(int type) {
        return switch (type) {
            case IdxReader.SHORT -> 2;
            case IdxReader.INT, IdxReader.FLOAT -> 4;
            case IdxReader.DOUBLE -> 8;
            default -> 1;
        };
    }

    static byte[] gzip(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
