package org.neurite.models.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.neurite.layers.golden.Golden;
import org.neurite.models.checkpoint.SafeTensors;
import org.neurite.runtime.Tensor;

/**
 * Every golden file is valid safetensors for the strict checkpoint reader, and the golden tests'
 * small reader sees the same tensors and the same case configurations in it.
 */
class GoldenFilesTest {
    @Test void everyGoldenFileReadsTheSameWithTheCheckpointReader() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Golden.directory())) {
            files = s.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
        }
        assertTrue(files.size() >= 7, "golden files: " + files);
        for (Path f : files) {
            String family = f.getFileName().toString().replace(".safetensors", "");
            SafeTensors.Contents strict = SafeTensors.read(f);
            Golden golden = Golden.load(family);
            assertEquals(strict.tensors().keySet().stream().toList(), golden.tensorNames(), family + ": tensor names");
            for (String name : golden.tensorNames()) {
                Tensor a = strict.tensors().get(name);
                Tensor b = golden.tensor("", name);
                assertArrayEquals(a.shape().dims(), b.shape().dims(), family + ": " + name + " shape");
                assertArrayEquals(a.data(), b.data(), family + ": " + name);
            }
            assertEquals(strict.metadata().keySet().stream().toList(), golden.cases(), family + ": cases");
            for (String c : golden.cases()) assertEquals(strict.metadata().get(c), golden.config(c), family + "/" + c);
        }
    }

    @Test void goldenFilesStayWellUnderFiveMegabytes() throws IOException {
        long total;
        try (Stream<Path> s = Files.list(Golden.directory())) {
            total = s.mapToLong(p -> p.toFile().length()).sum();
        }
        assertTrue(total < 3_000_000, "src-test-data/golden holds " + total + " bytes");
    }
}
