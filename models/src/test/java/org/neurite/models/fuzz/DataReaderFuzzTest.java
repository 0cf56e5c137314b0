package org.neurite.models.fuzz;

import static org.neurite.models.fuzz.FuzzHarness.folder;
import static org.neurite.models.fuzz.FuzzHarness.readOrRefuse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.neurite.models.data.CifarDataset;
import org.neurite.models.data.ImageFolderDataset;
import org.neurite.models.data.InputDataException;
import org.neurite.models.run.ConfigException;
import org.neurite.models.run.RunConfig;
import org.neurite.models.text.TextCorpus;
import org.neurite.models.text.Vocabulary;
import org.neurite.models.torch.TorchSafeTensors;
import org.neurite.runtime.Tensor;

/**
 * Fuzz targets for the readers that came after {@link ReaderFuzzTest}'s: CIFAR binaries, image
 * folders, text corpora, saved vocabularies, run files (YAML) and PyTorch state_dicts (safetensors
 * with every dtype). Same rules: data, or a one-line {@link InputDataException} naming the file.
 */
class DataReaderFuzzTest {
    private static final String MAX = "2m";

    @BeforeAll
    static void fastReplay() {
        FuzzHarness.replayWithoutSanitizerHooks();
    }

    /** A CIFAR-10 binary batch file. */
    @FuzzTest(maxDuration = MAX)
    void cifar10(byte[] data) {
        Path f = folder("cifar", Map.of("data_batch_1.bin", data)).resolve("data_batch_1.bin");
        CifarDataset ds = readOrRefuse(f.toString(), () -> CifarDataset.fromFiles(CifarDataset.Variant.CIFAR10, f));
        if (ds == null) return;
        check(ds.size() > 0 && (long) ds.size() * (1 + CifarDataset.PIXELS) == data.length, "records do not tile the file");
        Tensor one = Tensor.zeros(ds.sampleShape());
        ds.copyInput(ds.size() - 1, one, 0);
        check(ds.label(ds.size() - 1) >= 0 && ds.label(ds.size() - 1) < 10, "label out of range");
    }

    /** An image folder with one class holding one fuzzed image file (PNG, JPEG, GIF or BMP bytes). */
    @FuzzTest(maxDuration = MAX)
    void imageFolder(byte[] data) {
        Path root = folder("images", Map.of("cat/x.png", data));
        ImageFolderDataset ds = readOrRefuse(root.toString(), () -> ImageFolderDataset.load(root, 8, 8, 3));
        if (ds == null) return;
        Tensor one = Tensor.zeros(ds.sampleShape());
        ds.copyInput(0, one, 0);
        for (float v : one.data()) check(Float.isFinite(v), "non-finite pixel");
    }

    /** A UTF-8 text corpus and its character vocabulary. */
    @FuzzTest(maxDuration = MAX)
    void textCorpus(byte[] data) {
        Path f = folder("text", Map.of("corpus.txt", data)).resolve("corpus.txt");
        TextCorpus c = readOrRefuse(f.toString(), () -> TextCorpus.characters(f));
        if (c == null) return;
        for (int id : c.ids()) check(id >= 0 && id < c.vocabulary().size(), "id out of the vocabulary");
    }

    /** A saved vocabulary (JSON). */
    @FuzzTest(maxDuration = MAX)
    void vocabulary(byte[] data) {
        Path f = folder("vocab", Map.of("vocabulary.json", data)).resolve("vocabulary.json");
        Vocabulary v = readOrRefuse(f.toString(), () -> Vocabulary.load(f));
        if (v == null) return;
        check(v.size() > 0, "empty vocabulary accepted");
    }

    /**
     * A run file. Values of the wrong type or range are the run configuration's own error,
     * {@link ConfigException} (exit code 2 with the file, line and key), also accepted here.
     */
    @FuzzTest(maxDuration = MAX)
    void runFile(byte[] data) {
        Path f = folder("config", Map.of("run.yaml", data)).resolve("run.yaml");
        try {
            readOrRefuse(f.toString(), () -> RunConfig.builder().load(f).build());
        } catch (ConfigException e) {
            String m = e.getMessage();
            check(m != null && !m.isBlank() && m.indexOf('\n') < 0, "config error must be one line: " + m);
        }
    }

    /** A PyTorch state_dict file (safetensors with F32, F64, F16, BF16, I64, I32 tensors). */
    @FuzzTest(maxDuration = MAX)
    void torchStateDict(byte[] data) {
        Path f = folder("torch", Map.of("state.safetensors", data)).resolve("state.safetensors");
        readOrRefuse(f.toString(), () -> TorchSafeTensors.read(f));
    }

    private static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError(what);
    }
}
