package org.neurite.layers.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The padded row stride of the transposed recurrent weights: an odd number of 64-byte lines. */
class RecurrentStrideTest {

    @Test void strideIsTheNextOddNumberOfLines() {
        assertEquals(1040, RnnCpu.unaliasedStride(1024));   // W2's LSTM, G*H = 4 x 256
        assertEquals(784, RnnCpu.unaliasedStride(768));     // W3's GRU, 3 x 256
        assertEquals(272, RnnCpu.unaliasedStride(256));
        assertEquals(112, RnnCpu.unaliasedStride(97));      // 7 lines: already odd
        assertEquals(16, RnnCpu.unaliasedStride(1));
        assertEquals(48, RnnCpu.unaliasedStride(32));
        for (int n = 1; n <= 4096; n++) {
            int s = RnnCpu.unaliasedStride(n);
            assertTrue(s >= n && s < n + 32 && s % 16 == 0 && (s / 16) % 2 == 1, "n " + n + " -> " + s);
        }
    }
}
