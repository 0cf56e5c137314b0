package org.neurite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.models.data.MnistDataset;

/** evaluate, predict and visualize on one run trained once (2 epochs on the bundled sample). */
class TrainedRunCommandsTest {
    @TempDir static Path tmp;
    static Path run;

    @BeforeAll static void train() {
        run = tmp.resolve("run");
        TrainRunTest.ok("train", "--epochs", "2", "--quiet", "--seed", "3", "--threads", "2", "--device", "cpu", "--out", run.toString());
    }

    @Test void evaluateJsonParsesAndAgreesWithTheText() throws Exception {
        CliErrorsTest.Run text = TrainRunTest.ok("evaluate", "--run", run.toString());
        Matcher acc = Pattern.compile("(?m)^accuracy (\\d\\.\\d+)$").matcher(text.out());
        assertTrue(acc.find(), text.out());
        assertTrue(text.out().matches("(?s).*(?m)^loss \\d+\\.\\d+$.*"), text.out());
        assertTrue(text.out().matches("(?s).*(?m)^top5_accuracy \\d\\.\\d+$.*"), text.out());
        assertTrue(text.out().contains("class 9  "), text.out());

        Path picture = tmp.resolve("cm.png");
        CliErrorsTest.Run json = TrainRunTest.ok("evaluate", "--run", run.toString(), "--json", "--confusion", picture.toString());
        JsonNode j = new ObjectMapper().readTree(json.out());
        assertEquals(500, j.get("samples").asInt());
        assertEquals(Double.parseDouble(acc.group(1)), j.get("accuracy").asDouble(), 5e-5);
        assertTrue(j.get("top5_accuracy").asDouble() >= j.get("accuracy").asDouble());
        JsonNode cm = j.get("confusion");
        assertEquals(10, cm.size());
        long total = 0, diagonal = 0;
        for (int t = 0; t < 10; t++) {
            long row = 0;
            for (int p = 0; p < 10; p++) row += cm.get(t).get(p).asLong();
            diagonal += cm.get(t).get(t).asLong();
            total += row;
            JsonNode c = j.get("classes").get(t);
            assertEquals(row, c.get("support").asLong());
            assertEquals((double) cm.get(t).get(t).asLong() / row, c.get("recall").asDouble(), 1e-12);
            long predicted = 0;
            for (int r = 0; r < 10; r++) predicted += cm.get(r).get(t).asLong();
            if (predicted > 0) assertEquals((double) cm.get(t).get(t).asLong() / predicted, c.get("precision").asDouble(), 1e-12);
        }
        assertEquals(500, total);
        assertEquals(j.get("accuracy").asDouble(), (double) diagonal / total, 1e-12);
        BufferedImage img = ImageIO.read(picture.toFile());
        assertTrue(img.getWidth() >= 500 && img.getHeight() >= 500, "confusion picture size");
    }

    @Test void predictReadsAPictureOfABundledDigit() throws Exception {
        MnistDataset test = MnistDataset.bundledSample(MnistDataset.Split.TEST);
        Path idx = tmp.resolve("t10k-images-idx3-ubyte.gz");
        try (var in = MnistDataset.class.getResourceAsStream(MnistDataset.SAMPLE_RESOURCE + "t10k-images-idx3-ubyte.gz")) {
            Files.copy(in, idx);
        }
        // The first digit the model gets right through the IDX path; drawn dark on white at 4x, as a user would.
        int index = -1;
        for (int i = 0; i < 50 && index < 0; i++) {
            CliErrorsTest.Run r = TrainRunTest.ok("predict", "--run", run.toString(), "--idx", idx.toString(), "--index", Integer.toString(i));
            if (firstLabel(r.out()) == test.label(i)) index = i;
        }
        assertTrue(index >= 0, "no digit among the first 50 classified right");
        float[] pixels = test.images().data();
        BufferedImage img = new BufferedImage(112, 112, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 112; y++) {
            for (int x = 0; x < 112; x++) {
                int v = 255 - Math.round(255 * pixels[index * 784 + (y / 4) * 28 + x / 4]);
                img.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        Path png = tmp.resolve("digit.png");
        ImageIO.write(img, "png", png.toFile());
        CliErrorsTest.Run r = TrainRunTest.ok("predict", "--run", run.toString(), "--top", "5", png.toString());
        assertEquals(test.label(index), firstLabel(r.out()), r.out());
        assertEquals(5, r.out().strip().split("  ").length - 1, "five classes: " + r.out());
        CliErrorsTest.assertOneLineError(CliErrorsTest.neurite("predict", "--run", run.toString(), idx.toString()), 2,
                "not a picture ImageIO can read");
    }

    @Test void visualizeFiltersWritesAPicture() throws Exception {
        Path out = tmp.resolve("filters.png");
        CliErrorsTest.Run r = TrainRunTest.ok("visualize", "filters", "--run", run.toString(), "--out", out.toString());
        assertTrue(r.out().contains("conv1.weight [6, 1, 5, 5]"), r.out());
        BufferedImage img = ImageIO.read(out.toFile());
        assertTrue(img.getWidth() > 300 && img.getHeight() > 200);
    }

    private static int firstLabel(String out) {
        Matcher m = Pattern.compile("^\\S+  (\\d) (\\d\\.\\d+)").matcher(out.strip());
        assertTrue(m.find(), out);
        return Integer.parseInt(m.group(1));
    }
}
