package org.neurite.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pool's two loops: every index runs exactly once, in the chunks promised, on 1 to 3 threads. */
class ParallelTest {
    private final int before = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(before);
    }

    @Test
    void forEachRunsEveryIndexOnceOneAtATimeEvenWithMoreIndicesThanThreads() {
        for (int threads = 1; threads <= 3; threads++) {
            Parallel.setThreads(threads);
            for (int n : new int[] {1, 2, 5, 64}) {
                AtomicIntegerArray runs = new AtomicIntegerArray(n);
                Parallel.forEach(n, (from, to) -> {
                    if (Parallel.threads() > 1 && n > 1) assertEquals(from + 1, to, "one index per call");
                    for (int i = from; i < to; i++) runs.incrementAndGet(i);
                });
                for (int i = 0; i < n; i++) assertEquals(1, runs.get(i), "index " + i + " of " + n + " on " + threads + " threads");
            }
        }
    }

    @Test
    void forRangeCutsContiguousChunksThatDependOnlyOnTheThreadCount() {
        Parallel.setThreads(3);
        int[] chunkOf = new int[10];
        Parallel.forRange(10, (from, to) -> {
            for (int i = from; i < to; i++) chunkOf[i] = from;
        });
        assertArrayEquals(new int[] {0, 0, 0, 3, 3, 3, 6, 6, 6, 6}, chunkOf, "chunk c of 3 is [10c/3, 10(c+1)/3)");
    }

    @Test
    void nestedRegionsRunInlineAndFailuresReachTheCaller() {
        Parallel.setThreads(2);
        AtomicIntegerArray inner = new AtomicIntegerArray(4);
        Parallel.forEach(4, (from, to) -> {
            assertTrue(Parallel.inRegion(), "inside a region");
            Parallel.forRange(100, (a, b) -> inner.addAndGet(from, b - a));
        });
        for (int i = 0; i < 4; i++) assertEquals(100, inner.get(i), "the nested loop covered [0, 100) for index " + i);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forEach(8, (from, to) -> {
            if (from == 5) throw new IllegalStateException("index 5 failed");
        }));
        assertEquals("index 5 failed", e.getMessage());
    }

    /**
     * Regions of 2 chunks and of up to 6, back to back: a worker finishing a region could claim a
     * chunk of the next one before its counter was reset (the old counter, the new chunk count),
     * and the caller then waited forever. That hung within 200,000 regions every time; the
     * timeout turns a hang into a failure. Every index must still run exactly once per region.
     */
    @Test
    void regionsOfDifferentSizesBackToBackNeverLoseAChunk() {
        Parallel.setThreads(2);
        long[] ran = new long[1];
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();
            long expected = 0;
            for (int i = 0; i < 1_000_000; i++) {
                if (i % 3 == 0) {
                    Parallel.forRange(1000, 10, (a, b) -> count.addAndGet(b - a));
                    expected += 1000;
                } else {
                    int n = i % 5 + 2;
                    Parallel.forEach(n, (a, b) -> count.addAndGet(b - a));
                    expected += n;
                }
            }
            assertEquals(expected, count.get(), "indices run");
            ran[0] = expected;
        });
        assertTrue(ran[0] > 0);
    }
}
