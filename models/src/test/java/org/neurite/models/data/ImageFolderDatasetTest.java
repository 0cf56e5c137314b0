package org.neurite.models.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/** Class folders of PNG and JPEG files written here with ImageIO. */
class ImageFolderDatasetTest {
    @TempDir Path tmp;

    private static void solid(Path file, String format, int w, int h, int rgb) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, rgb);
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(img, format, file.toFile()));
    }

    @Test void classesSortedImagesResized() throws Exception {
        solid(tmp.resolve("zebra/b.png"), "png", 10, 6, 0x336699);
        solid(tmp.resolve("zebra/a.png"), "png", 3, 3, 0xFF0000);
        solid(tmp.resolve("apple/x.jpg"), "jpg", 20, 20, 0x808080);
        Files.writeString(tmp.resolve("apple/notes.txt"), "ignored");
        ImageFolderDataset d = ImageFolderDataset.load(tmp, 8, 4);
        assertEquals(List.of("apple", "zebra"), d.classNames());
        assertEquals(3, d.size());
        assertEquals(Shape.of(3, 8, 4), d.sampleShape());
        assertEquals(0, d.label(0));
        assertEquals(1, d.label(1));
        assertEquals(1, d.label(2));

        Tensor batch = Tensor.zeros(3, 3, 8, 4);
        for (int i = 0; i < 3; i++) d.copyInput(i, batch, i);
        int s = 3 * 32;
        // zebra/a.png (sorted first): pure red everywhere after resizing a solid image
        for (int p = 0; p < 32; p++) {
            assertEquals(1f, batch.get(s + p), 0f);
            assertEquals(0f, batch.get(s + 32 + p), 0f);
            assertEquals(0f, batch.get(s + 64 + p), 0f);
        }
        // zebra/b.png: 0x33 0x66 0x99 = 51, 102, 153
        assertEquals(51 / 255f, batch.get(2 * s + 5), 0f);
        assertEquals(102 / 255f, batch.get(2 * s + 32 + 5), 0f);
        assertEquals(153 / 255f, batch.get(2 * s + 64 + 5), 0f);
        // the JPEG grey is 128 within compression error
        assertEquals(128 / 255f, batch.get(7), 3 / 255f);
    }

    @Test void grayscaleUsesLuma() throws Exception {
        solid(tmp.resolve("only/a.png"), "png", 5, 5, 0x336699);
        ImageFolderDataset d = ImageFolderDataset.load(tmp, 2, 2, 1);
        Tensor batch = Tensor.zeros(1, 1, 2, 2);
        d.copyInput(0, batch, 0);
        // 0.299*51 + 0.587*102 + 0.114*153 = 15.249 + 59.874 + 17.442 = 92.565 -> 93
        assertEquals(93 / 255f, batch.get(3), 0f);
    }

    @Test void undecodableFileIsNamed() throws Exception {
        solid(tmp.resolve("a/ok.png"), "png", 2, 2, 0);
        Path bad = tmp.resolve("a/broken.png");
        Files.writeString(bad, "not a png");
        InputDataException e = assertThrows(InputDataException.class, () -> ImageFolderDataset.load(tmp, 4, 4));
        assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
    }

    @Test void emptyLayoutsAreErrors() throws Exception {
        assertThrows(InputDataException.class, () -> ImageFolderDataset.load(tmp, 4, 4));  // no class folders
        Files.createDirectories(tmp.resolve("empty"));
        InputDataException e = assertThrows(InputDataException.class, () -> ImageFolderDataset.load(tmp, 4, 4));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }
}
