package org.neurite.models.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/** Picture to model input: luma, area-average resizing, polarity. */
class ImageInputTest {
    @TempDir Path tmp;

    @Test void areaAverageOfAThreeByThreeToTwoByTwo() {
        float[] src = {0, 0.3f, 0.6f, 0.9f, 0.3f, 0, 0, 0, 0.6f};
        // Output pixel (0,0) covers [0,1.5)x[0,1.5): weights 1, .5, .5, .25 over src 0, .3, .9, .3; area 2.25.
        float[] out = ImageInput.resize(src, 3, 3, 2, 2);
        assertEquals((0 * 1 + 0.3 * 0.5 + 0.9 * 0.5 + 0.3 * 0.25) / 2.25, out[0], 1e-6);
        // Output pixel (1,1) covers [1.5,3)x[1.5,3): weights .25, .5, .5, 1 over src .3, 0, 0, .6.
        assertEquals((0.3 * 0.25 + 0.6 * 1) / 2.25, out[3], 1e-6);
        // Output pixel (0,1) covers x [1.5,3), y [0,1.5): weights .5, 1, .25, .5 over src .3, .6, .3, 0.
        assertEquals((0.3 * 0.5 + 0.6 + 0.3 * 0.25) / 2.25, out[1], 1e-6);
    }

    @Test void darkDigitOnWhiteIsInvertedAndShrunk() throws Exception {
        // A 56x56 white picture with a black 8x8 square at (16..24, 24..32): 28x28 with a white 4x4 square.
        BufferedImage img = new BufferedImage(56, 56, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 56; y++) {
            for (int x = 0; x < 56; x++) {
                boolean ink = y >= 16 && y < 24 && x >= 24 && x < 32;
                img.setRGB(x, y, ink ? 0x000000 : 0xffffff);
            }
        }
        Path file = tmp.resolve("square.png");
        ImageIO.write(img, "png", file.toFile());
        Tensor t = ImageInput.fromImage(file, Shape.of(1, 28, 28), false);
        assertEquals(Shape.of(1, 1, 28, 28), t.shape());
        float[] expected = new float[28 * 28];
        for (int y = 8; y < 12; y++) for (int x = 12; x < 16; x++) expected[y * 28 + x] = 1f;
        assertArrayEquals(expected, t.data(), 1e-6f);

        // Centred as MNIST is: the 8x8 square becomes 20x20 with its centre of mass at (14, 14): rows and columns 4..23.
        float[] centred = ImageInput.fromImage(file, Shape.of(1, 28, 28)).data();
        float[] square = new float[28 * 28];
        for (int y = 4; y < 24; y++) for (int x = 4; x < 24; x++) square[y * 28 + x] = 1f;
        assertArrayEquals(square, centred, 1e-6f);
    }

    @Test void lumaWeights() {
        BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0x336699); // 51, 102, 153
        assertEquals((0.299 * 51 + 0.587 * 102 + 0.114 * 153) / 255, ImageInput.grey(img)[0], 1e-6);
    }
}
