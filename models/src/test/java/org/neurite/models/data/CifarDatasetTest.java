package org.neurite.models.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/** CIFAR binary records written here byte by byte (no real CIFAR is needed). */
class CifarDatasetTest {
    @TempDir Path tmp;

    /** A record: label bytes, then pixel k = (seed + k) mod 256. */
    private static byte[] record(int seed, int... labelBytes) {
        byte[] r = new byte[labelBytes.length + CifarDataset.PIXELS];
        for (int i = 0; i < labelBytes.length; i++) r[i] = (byte) labelBytes[i];
        for (int k = 0; k < CifarDataset.PIXELS; k++) r[labelBytes.length + k] = (byte) (seed + k);
        return r;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    @Test void cifar10BatchesInOrder() throws Exception {
        for (int b = 1; b <= 5; b++) Files.write(tmp.resolve("data_batch_" + b + ".bin"), concat(record(b, b), record(100 + b, 9)));
        Files.write(tmp.resolve("test_batch.bin"), record(7, 3));
        CifarDataset train = CifarDataset.load(tmp, CifarDataset.Variant.CIFAR10, true);
        CifarDataset test = CifarDataset.load(tmp, CifarDataset.Variant.CIFAR10, false);
        assertEquals(10, train.size());
        assertEquals(1, test.size());
        assertEquals(Shape.of(3, 32, 32), train.sampleShape());
        assertEquals(10, train.numClasses());
        assertEquals(3, train.label(4));    // batch 3, first record
        assertEquals(9, train.label(5));
        assertEquals(3, test.label(0));

        Tensor batch = Tensor.zeros(2, 3, 32, 32);
        train.copyInput(4, batch, 1);       // pixels (3 + k) mod 256
        assertEquals(3 / 255f, batch.get(3072), 0f);          // red (0, 0)
        assertEquals(255 / 255f, batch.get(3072 + 252), 0f);  // (3 + 252) = 255
        assertEquals(0f, batch.get(3072 + 253), 0f);          // wraps to 0
        assertEquals(((3 + 1024) % 256) / 255f, batch.get(3072 + 1024), 0f); // green (0, 0)
        assertEquals(((3 + 3071) % 256) / 255f, batch.get(2 * 3072 - 1), 0f); // blue (31, 31)
    }

    @Test void cifar100FineAndCoarseLabels() throws Exception {
        Path f = tmp.resolve("train.bin");
        Files.write(f, concat(record(0, 19, 99), record(1, 4, 30)));
        CifarDataset d = CifarDataset.fromFiles(CifarDataset.Variant.CIFAR100, f);
        assertEquals(2, d.size());
        assertEquals(100, d.numClasses());
        assertEquals(99, d.label(0));
        assertEquals(19, d.coarseLabel(0));
        assertEquals(30, d.label(1));
        assertEquals(4, d.coarseLabel(1));
        Tensor batch = Tensor.zeros(1, 3, 32, 32);
        d.copyInput(1, batch, 0);
        assertEquals(1 / 255f, batch.get(0), 0f);
    }

    @Test void truncatedFileNamesFileAndOffset() throws Exception {
        Path f = tmp.resolve("data_batch_1.bin");
        byte[] two = concat(record(0, 1), record(1, 2));
        Files.write(f, java.util.Arrays.copyOf(two, two.length - 10));
        InputDataException e = assertThrows(InputDataException.class, () -> CifarDataset.fromFiles(CifarDataset.Variant.CIFAR10, f));
        assertTrue(e.getMessage().startsWith(f + " at byte 3073: truncated record 1"), e.getMessage());
    }

    @Test void labelOutOfRangeNamesOffset() throws Exception {
        Path f = tmp.resolve("test_batch.bin");
        Files.write(f, concat(record(0, 1), record(0, 10)));
        InputDataException e = assertThrows(InputDataException.class, () -> CifarDataset.fromFiles(CifarDataset.Variant.CIFAR10, f));
        assertTrue(e.getMessage().startsWith(f + " at byte 3073: label 10 of record 1"), e.getMessage());

        Path g = tmp.resolve("test.bin");
        Files.write(g, record(0, 20, 5)); // coarse labels stop at 19
        e = assertThrows(InputDataException.class, () -> CifarDataset.fromFiles(CifarDataset.Variant.CIFAR100, g));
        assertTrue(e.getMessage().startsWith(g + " at byte 0: coarse label 20"), e.getMessage());
    }

    @Test void missingBatchIsNamed() throws Exception {
        Files.write(tmp.resolve("data_batch_1.bin"), record(0, 1));
        InputDataException e = assertThrows(InputDataException.class, () -> CifarDataset.load(tmp, CifarDataset.Variant.CIFAR10, true));
        assertTrue(e.getMessage().contains("missing data_batch_2.bin"), e.getMessage());
        assertThrows(InputDataException.class, () -> CifarDataset.load(tmp.resolve("nope"), CifarDataset.Variant.CIFAR10, true));
    }
}
