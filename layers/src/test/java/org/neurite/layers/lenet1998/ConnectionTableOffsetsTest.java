package org.neurite.layers.lenet1998;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The table partial_conv_scatter_f32 / partial_conv_gather_add_f32 read: each connection's slice of the dense filter. */
class ConnectionTableOffsetsTest {
    @Test void eachConnectionPointsAtItsOutputAndInputMapSlice() {
        // Connections (c=0 -> k=0), (c=2 -> k=0), (c=1 -> k=1) of a 3-in dense filter [2, 3, 5, 5].
        float[] at = ConnectionTableCuda.offsets(new int[] {0, 2, 1}, new int[] {0, 0, 1}, 3, 25);
        assertArrayEquals(new float[] {0, 50, (1 * 3 + 1) * 25}, at);
    }

    @Test void theC3TableGivesSixtyDistinctSlicesInsideTheFilter() {
        boolean[][] t = LeNet1998Tables.c3();
        int n = 0;
        int[] in = new int[60], out = new int[60];
        for (int k = 0; k < 16; k++) for (int c = 0; c < 6; c++) if (t[c][k]) { in[n] = c; out[n++] = k; }
        assertEquals(60, n);
        float[] at = ConnectionTableCuda.offsets(in, out, 6, 25);
        java.util.Set<Float> seen = new java.util.HashSet<>();
        for (float f : at) {
            assertEquals(0, (int) f % 25);
            assertEquals(true, f + 25 <= 16 * 6 * 25);
            seen.add(f);
        }
        assertEquals(60, seen.size());
    }

    @Test void filtersTooLargeForFloatOffsetsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ConnectionTableCuda.offsets(new int[] {0}, new int[] {1 << 20}, 1, 25));
    }
}
