package org.neurite.models.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.neurite.models.checkpoint.AtomicFiles;

/** Writes charts and images as PNG files, atomically, on machines without a display. */
public final class Png {
    static {
        // No window is ever opened; this keeps AWT from looking for an X server.
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private Png() { }

    /** Renders an XChart chart to {@code file}. */
    public static void write(Path file, Chart<?, ?> chart) throws IOException {
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(file, out -> out.write(png));
    }

    /** Writes {@code image} to {@code file}. */
    public static void write(Path file, BufferedImage image) throws IOException {
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer in this JDK");
        });
    }

    /** Call before creating AWT objects (fonts, images) so they are made headless. */
    static void init() { }
}
