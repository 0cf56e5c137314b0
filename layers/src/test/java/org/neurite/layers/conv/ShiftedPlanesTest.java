package org.neurite.layers.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;

/**
 * The shifted copies are the column matrix read in place: row p of im2col's [Q, OH*OW] matrix is
 * the run at tap offset p, element for element, borders and strides included; and the layout is
 * chosen only where the wide one would compute garbage columns or does not apply (strides).
 */
class ShiftedPlanesTest {
    @ParameterizedTest(name = "{0}@{1}x{2}, kernel {3}x{4}, pad {5}x{6}, stride {7}x{8}")
    @CsvSource({
        "3, 8, 8, 3, 3, 1, 1, 1, 1",
        "2, 8, 4, 3, 3, 1, 1, 1, 1",
        "2, 10, 6, 3, 3, 0, 0, 1, 1",
        "1, 8, 4, 5, 5, 2, 2, 1, 1",
        "2, 6, 5, 3, 1, 1, 0, 1, 1",      // a 3x1 kernel
        "1, 4, 4, 3, 3, 3, 3, 1, 1",      // padding wider than the kernel: whole rows of zeros
        "2, 3, 1, 5, 5, 2, 2, 1, 1",      // one column, wider filters: every shifted column is padding
        "2, 16, 16, 3, 3, 1, 1, 2, 2",    // ResNet's stride-2 3x3
        "3, 8, 32, 3, 3, 1, 1, 2, 2",     // 16-wide copies: rows split by whole vectors (EvenOddVector)
        "2, 6, 20, 3, 3, 1, 1, 1, 2",     // column stride only, 10-wide copies: vectors and a scalar tail
        "2, 16, 16, 1, 1, 0, 0, 2, 2",    // its 1x1 projection
        "1, 9, 11, 3, 3, 1, 1, 2, 2",     // odd sizes
        "1, 12, 10, 5, 3, 2, 1, 3, 2",    // different strides per axis, stride > kernel rows / 2
    })
    void runsAreTheColumnMatrixRows(int c, int h, int w, int r, int s, int padH, int padW, int strideH, int strideW) {
        Conv2d.Config cfg = Conv2d.config(c, 4, r).kernel(r, s).padding(padH, padW).stride(strideH, strideW).build();
        ConvGeometry g = ConvGeometry.of(cfg, Shape.of(2, c, h, w));
        float[] x = new float[2 * c * h * w];
        new Rng(c * 31L + h).uniform(x, 0, x.length, 1f, 2f);     // no zeros in x: a zero in B is padding
        int p = g.outPixels(), xOff = c * h * w;                      // the second sample
        float[] col = new float[g.colRows() * p];
        Im2col.im2col(g, x, xOff, col, 0, p);
        float[] copies = new float[ShiftedPlanes.size(g)];
        java.util.Arrays.fill(copies, Float.NaN);                     // every float must be written
        ShiftedPlanes.fill(g, x, xOff, copies);
        int[] taps = ShiftedPlanes.tapOffsets(g);
        for (int row = 0; row < g.colRows(); row++) {
            for (int m = 0; m < p; m++) assertEquals(col[row * p + m], copies[taps[row] + m], "tap " + row + ", pixel " + m);
        }
        for (int i = 0; i < copies.length; i++) assertFalse(Float.isNaN(copies[i]), "float " + i + " not written");
    }

    @Test
    void chosenWhereRowsAreNarrowerThanATileAndTheMapHoldsWholeTiles() {
        assumeTrue(ImplicitGemm.AVAILABLE, "the Vector API module is not loaded (run with --add-modules jdk.incubator.vector)");
        int v = ImplicitGemm.tileColumns() / 2;
        assertTrue(ShiftedPlanes.applies(geometry(16, 8, 4)), "8x4 maps: rows of 4 < " + v + " lanes");
        int wide = Math.max(2 * v, 16);     // rows of at most 8 pixels take the copies even when whole tiles (128-bit vectors: 8)
        assertFalse(ShiftedPlanes.applies(geometry(16, wide, wide)), "rows of whole tiles stay on the padded planes");
        assertFalse(ShiftedPlanes.applies(geometry(16, 5, 5)), "25 pixels are not whole tiles of " + 2 * v);
        assertTrue(ShiftedPlanes.applies(ConvGeometry.of(Conv2d.config(16, 32, 3).stride(2).padding(1).build(), Shape.of(1, 16, 32, 32))),
                "strided, 16x16 output");
        assertFalse(ShiftedPlanes.applies(ConvGeometry.of(Conv2d.config(16, 32, 1).stride(2).build(), Shape.of(1, 16, 32, 32))),
                "strided 1x1 filters stay on im2col");
        assertTrue(ShiftedPlanes.applies(geometry(64, 8, 8)), "8x8 maps: rows of 8 padded to 10 waste a fifth of dW");
        assertFalse(ShiftedPlanes.applies(geometry(32, 16, 16)), "16x16 maps: whole tiles on " + v + "-lane rows, 2 padding columns in 18");
    }

    private static ConvGeometry geometry(int c, int h, int w) {
        return ConvGeometry.of(Conv2d.config(c, c, 3).padding(1).build(), Shape.of(1, c, h, w));
    }
}
