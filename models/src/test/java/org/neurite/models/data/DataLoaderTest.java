package org.neurite.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

class DataLoaderTest {
    /** Sample i is [2, 3] holding i*10 + k (k = 0..5); its label is i % 7: contents reveal the index. */
    static final class Counting implements Dataset {
        final int n;
        volatile int failAt = -1;

        Counting(int n) { this.n = n; }

        @Override public int size() { return n; }

        @Override public Shape sampleShape() { return Shape.of(2, 3); }

        @Override public int numClasses() { return 7; }

        @Override public int label(int i) { return i % 7; }

        @Override public void copyInput(int i, Tensor batch, int j) {
            if (i == failAt) throw new IllegalArgumentException("sample " + i + " is broken");
            for (int k = 0; k < 6; k++) batch.set(j * 6 + k, i * 10 + k);
        }
    }

    /** The sample indices one epoch delivers, read back from the batch contents, checked against labels. */
    private static List<Integer> visit(DataLoader loader, int epoch) {
        List<Integer> seen = new ArrayList<>();
        try (DataLoader.Epoch e = loader.epoch(epoch)) {
            while (e.next()) {
                Tensor x = e.inputs(), y = e.targets();
                assertEquals(e.rows(), x.shape().dim(0));
                assertEquals(Shape.of(e.rows()), y.shape());
                for (int j = 0; j < e.rows(); j++) {
                    int i = (int) x.get(j * 6) / 10;
                    for (int k = 0; k < 6; k++) assertEquals(i * 10 + k, x.get(j * 6 + k));
                    assertEquals(i % 7, y.get(j));
                    seen.add(i);
                }
            }
        }
        return seen;
    }

    @Test void everyIndexOncePerEpochInOrderOfOrder() {
        Counting ds = new Counting(103);
        DataLoader loader = DataLoader.builder(ds).batchSize(10).shuffle(42).build();
        assertEquals(11, loader.batchesPerEpoch());
        for (int epoch = 0; epoch < 3; epoch++) {
            List<Integer> seen = visit(loader, epoch);
            assertEquals(103, seen.size());
            int[] sorted = seen.stream().mapToInt(Integer::intValue).sorted().toArray();
            int[] all = new int[103];
            Arrays.setAll(all, i -> i);
            assertArrayEquals(all, sorted);
            assertArrayEquals(loader.order(epoch), seen.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    @Test void orderDependsOnSeedAndEpochOnly() {
        Counting ds = new Counting(50);
        DataLoader a = DataLoader.builder(ds).shuffle(7).build();
        DataLoader b = DataLoader.builder(ds).shuffle(7).build();
        assertArrayEquals(a.order(3), b.order(3));
        assertFalse(Arrays.equals(a.order(0), a.order(1)));
        assertFalse(Arrays.equals(a.order(0), DataLoader.builder(ds).shuffle(8).build().order(0)));
        int[] identity = new int[50];
        Arrays.setAll(identity, i -> i);
        assertArrayEquals(identity, DataLoader.builder(ds).build().order(5));
        assertNotEquals(Arrays.toString(identity), Arrays.toString(a.order(0)));
    }

    @Test void dropLastCounts() {
        Counting ds = new Counting(103);
        DataLoader drop = DataLoader.builder(ds).batchSize(10).dropLast(true).shuffle(1).build();
        assertEquals(10, drop.batchesPerEpoch());
        assertEquals(100, drop.samplesPerEpoch());
        List<Integer> seen = visit(drop, 0);
        assertEquals(100, seen.size());
        assertEquals(100, seen.stream().distinct().count());

        DataLoader keep = DataLoader.builder(ds).batchSize(10).prefetch(false).build();
        try (DataLoader.Epoch e = keep.epoch(0)) {
            int rows = 0, batches = 0;
            while (e.next()) {
                rows = e.rows();
                batches++;
            }
            assertEquals(11, batches);
            assertEquals(3, rows);
        }
        assertEquals(0, DataLoader.builder(new Counting(5)).batchSize(10).dropLast(true).build().batchesPerEpoch());
    }

    @Test void prefetchOnAndOffGiveIdenticalBatches() {
        Counting ds = new Counting(77);
        for (int epoch = 0; epoch < 2; epoch++) {
            List<float[]> on = batches(DataLoader.builder(ds).batchSize(8).shuffle(9).prefetch(true).build(), epoch);
            List<float[]> off = batches(DataLoader.builder(ds).batchSize(8).shuffle(9).prefetch(false).build(), epoch);
            assertEquals(off.size(), on.size());
            for (int b = 0; b < on.size(); b++) assertArrayEquals(off.get(b), on.get(b), "batch " + b);
        }
    }

    private static List<float[]> batches(DataLoader loader, int epoch) {
        List<float[]> out = new ArrayList<>();
        try (DataLoader.Epoch e = loader.epoch(epoch)) {
            while (e.next()) {
                float[] x = e.inputs().data(), y = e.targets().data();
                float[] both = Arrays.copyOf(x, x.length + y.length);
                System.arraycopy(y, 0, both, x.length, y.length);
                out.add(both);
            }
        }
        return out;
    }

    @Test void mnistBatchesEqualDatasetSamples() throws Exception {
        MnistDataset test = MnistDataset.bundledSample(MnistDataset.Split.TEST);
        DataLoader loader = DataLoader.builder(test).batchSize(64).shuffle(3).dropLast(true).build();
        int[] order = loader.order(2);
        Tensor one = Tensor.zeros(1, 1, 28, 28);
        try (DataLoader.Epoch e = loader.epoch(2)) {
            while (e.next()) {
                assertEquals(Shape.of(64, 1, 28, 28), e.inputs().shape());
                float[] x = e.inputs().data();
                for (int j = 0; j < 64; j++) {
                    int i = order[e.batchIndex() * 64 + j];
                    test.copyInput(i, one, 0);
                    assertArrayEquals(one.data(), Arrays.copyOfRange(x, j * 784, (j + 1) * 784));
                    assertEquals(test.label(i), e.targets().get(j));
                }
            }
        }
    }

    @Test void buffersAreReusedAcrossEpochs() {
        DataLoader loader = DataLoader.builder(new Counting(40)).batchSize(10).prefetch(false).build();
        Tensor first;
        try (DataLoader.Epoch e = loader.epoch(0)) {
            e.next();
            first = e.inputs();
        }
        try (DataLoader.Epoch e = loader.epoch(1)) {
            e.next();
            assertSame(first, e.inputs());
        }
    }

    @Test void resumeMidEpochAndEarlyClose() {
        Counting ds = new Counting(60);
        DataLoader loader = DataLoader.builder(ds).batchSize(10).shuffle(5).build();
        int[] order = loader.order(4);
        try (DataLoader.Epoch e = loader.epoch(4, 3)) {
            assertTrue(e.next());
            assertEquals(3, e.batchIndex());
            assertEquals(order[30] * 10, e.inputs().get(0));
        } // closed after one batch: the prefetch thread must stop
        DataLoader.Epoch open = loader.epoch(0);
        try {
            assertThrows(IllegalStateException.class, () -> loader.epoch(1), "one open epoch at a time");
        } finally {
            open.close();
        }
        assertEquals(60, visit(loader, 0).size()); // the loader still works
    }

    @Test void producerFailureReachesTheTrainer() {
        Counting ds = new Counting(30);
        ds.failAt = 25;
        DataLoader loader = DataLoader.builder(ds).batchSize(10).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> visit(loader, 0));
        assertTrue(e.getMessage().contains("sample 25 is broken"), e.getMessage());
    }
}
