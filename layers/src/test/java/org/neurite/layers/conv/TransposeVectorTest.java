package org.neurite.layers.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TransposeVectorTest {
    @BeforeEach
    void vectorApi() {
        assumeTrue(LaneDots.AVAILABLE, "the Vector API module is not loaded (run with --add-modules jdk.incubator.vector)");
    }

    /** Every float lands where the plain transpose puts it: whole 8x8 blocks, the pixels past them, rows ld > pixels apart, an offset. */
    @ParameterizedTest
    @CsvSource({"16, 1088, 1096, 0", "32, 256, 256, 5", "64, 64, 64, 0", "16, 13, 20, 3", "48, 7, 9, 1", "16, 1, 1, 0"})
    void matchesThePlainTranspose(int kg, int pixels, int ld, int gOff) {
        assumeTrue(kg % TransposeVector.V == 0, "kg must be a multiple of the vector length " + TransposeVector.V);
        float[] gm = new float[gOff + kg * ld];
        for (int i = 0; i < gm.length; i++) gm[i] = i * 0.5f - 7f;
        float[] expected = new float[pixels * kg], gt = new float[pixels * kg];
        for (int k = 0; k < kg; k++) {
            for (int j = 0; j < pixels; j++) expected[j * kg + k] = gm[gOff + k * ld + j];
        }
        TransposeVector.transpose(kg, pixels, gm, gOff, ld, TransposeVector.rowOffsets(ld), gt);
        assertArrayEquals(expected, gt);
    }
}
