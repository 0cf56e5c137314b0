package org.neurite.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

class MnistDatasetTest {
    @TempDir Path tmp;

    @Test void bundledSampleSizesPixelsAndLabels() throws Exception {
        MnistDataset train = MnistDataset.bundledSample(MnistDataset.Split.TRAIN);
        MnistDataset test = MnistDataset.bundledSample(MnistDataset.Split.TEST);
        assertEquals(2000, train.size());
        assertEquals(500, test.size());
        assertEquals(Shape.of(1, 28, 28), train.sampleShape());

        Tensor x = train.images();
        assertEquals(Shape.of(2000, 1, 28, 28), x.shape());
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        double sum = 0;
        for (float v : x.data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
        double mean = sum / x.size();
        assertTrue(mean > 0.08 && mean < 0.20, "MNIST mean intensity is about 0.13, got " + mean);

        // Label counts from src-test-data/README.md: every digit present, roughly balanced.
        assertHistogram(train, new int[] {211, 223, 205, 191, 187, 172, 190, 220, 215, 186});
        assertHistogram(test, new int[] {50, 56, 51, 57, 47, 43, 55, 52, 44, 45});
    }

    private static void assertHistogram(MnistDataset d, int[] expected) {
        int[] counts = new int[10];
        for (int y : d.labels()) counts[y]++;
        assertEquals(Arrays.toString(expected), Arrays.toString(counts));
    }

    @Test void loadFromDirectoryMatchesBundledSample() throws Exception {
        for (MnistDataset.Split s : MnistDataset.Split.values()) {
            copyResource(s.imagesFile() + ".gz", s.imagesFile() + ".gz");
            copyResource(s.labelsFile() + ".gz", s.labelsFile() + ".gz");
        }
        MnistDataset fromDir = MnistDataset.load(tmp, MnistDataset.Split.TEST);
        MnistDataset bundled = MnistDataset.bundledSample(MnistDataset.Split.TEST);
        assertEquals(bundled.size(), fromDir.size());
        assertArrayEquals(bundled.labels(), fromDir.labels());
        assertArrayEquals(bundled.images().data(), fromDir.images().data());
    }

    @Test void missingDirectoryAndMissingFile() throws Exception {
        Path none = tmp.resolve("no-such-dir");
        InputDataException e = assertThrows(InputDataException.class, () -> MnistDataset.load(none, MnistDataset.Split.TRAIN));
        assertEquals(none + ": no such directory", e.getMessage());

        copyResource("train-images-idx3-ubyte.gz", "train-images-idx3-ubyte.gz");
        e = assertThrows(InputDataException.class, () -> MnistDataset.load(tmp, MnistDataset.Split.TRAIN));
        assertEquals(tmp + ": missing train-labels-idx1-ubyte (or train-labels-idx1-ubyte.gz)", e.getMessage());
    }

    @Test void countMismatchAndBadLabel() throws Exception {
        byte[] images = IdxReaderTest.idx(new int[] {2, 2, 2}, new byte[8]);
        Files.write(tmp.resolve("t10k-images-idx3-ubyte"), images);
        Files.write(tmp.resolve("t10k-labels-idx1-ubyte"), IdxReaderTest.idx(new int[] {3}, new byte[] {1, 2, 3}));
        InputDataException e = assertThrows(InputDataException.class, () -> MnistDataset.load(tmp, MnistDataset.Split.TEST));
        assertTrue(e.getMessage().contains("2 images") && e.getMessage().contains("3 labels"), e.getMessage());

        Files.write(tmp.resolve("t10k-labels-idx1-ubyte"), IdxReaderTest.idx(new int[] {2}, new byte[] {4, 10}));
        e = assertThrows(InputDataException.class, () -> MnistDataset.load(tmp, MnistDataset.Split.TEST));
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte at byte 9") && e.getMessage().contains("label 10"), e.getMessage());
    }

    private void copyResource(String resource, String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream(MnistDataset.SAMPLE_RESOURCE + resource)) {
            Files.copy(in, tmp.resolve(name));
        }
    }
}
