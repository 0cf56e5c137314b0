package org.neurite.models.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurite.runtime.Rng;

class BatchesTest {
    private static int[] counting(int n) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = i;
        return ids;
    }

    @Test void randomWindowsAreSeededAndShiftedByOne() {
        int[] ids = counting(1000);
        RandomWindows a = new RandomWindows(ids, 4, 8, new Rng(5));
        RandomWindows b = new RandomWindows(ids, 4, 8, new Rng(5));
        for (int k = 0; k < 3; k++) {
            a.next();
            b.next();
            assertArrayEquals(a.starts(), b.starts());
            assertArrayEquals(a.inputs().data(), b.inputs().data());
        }
        int[] starts = a.starts();
        float[] x = a.inputs().data();
        float[] y = a.targets().data();
        for (int n = 0; n < 4; n++) {
            assertTrue(starts[n] >= 0 && starts[n] < 1000 - 9, "start " + starts[n]);
            for (int t = 0; t < 8; t++) {
                assertEquals(starts[n] + t, x[t * 4 + n]);       // time-major [T, N]
                assertEquals(starts[n] + t + 1, y[t * 4 + n]);
            }
        }
        RandomWindows c = new RandomWindows(ids, 4, 8, new Rng(6));
        c.next();
        assertFalse(java.util.Arrays.equals(starts, c.starts()), "another seed, other windows");
    }

    @Test void streamsContinueFromBatchToBatch() {
        // 2 streams of (41 - 1) / 2 = 20 tokens: [0, 20] and [20, 40]; windows of 6: 3 per pass.
        StreamBatches s = new StreamBatches(counting(41), 2, 6);
        assertEquals(3, s.batchesPerEpoch());
        assertTrue(s.next());
        assertArrayEquals(new float[] {0, 20, 1, 21, 2, 22, 3, 23, 4, 24, 5, 25}, s.inputs().data());
        assertTrue(s.next());
        assertEquals(6, s.inputs().get(0));
        assertEquals(26, s.inputs().get(1));
        assertEquals(7, s.targets().get(0));
        assertTrue(s.next());
        assertFalse(s.next());
        s.reset();
        assertTrue(s.next());
        assertEquals(0, s.inputs().get(0));
    }
}
