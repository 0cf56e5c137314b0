package org.neurite.models.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * Images in one sub-folder per class (torchvision's ImageFolder layout): {@code root/cat/1.png},
 * {@code root/dog/a.jpg}, ... Class indices follow the sorted folder names; within a class the files
 * are taken in sorted name order. PNG, JPEG, BMP and GIF files are read through ImageIO; other files
 * are ignored, and a file ImageIO cannot decode is an error naming it.
 *
 * <p>Every image is resized (bilinear, aspect ratio not kept) to {@code height x width} when loaded
 * and held as bytes; samples are float32 {@code [channels, height, width]} in [0, 1], RGB order for
 * 3 channels, ITU-R 601 luma ({@code 0.299 R + 0.587 G + 0.114 B}) for 1.
 *
 * <pre>{@code
 * ImageFolderDataset train = ImageFolderDataset.load(Path.of("flowers/train"), 64, 64, 3);
 * String name = train.classNames().get(train.label(0));
 * }</pre>
 */
public final class ImageFolderDataset implements Dataset {
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");
    private static final float[] SCALE = new float[256];

    static {
        for (int v = 0; v < 256; v++) SCALE[v] = v / 255f;
    }

    private final String source;
    private final List<String> classNames;
    private final Shape sampleShape;
    private final int sampleSize;
    private final byte[] pixels;  // [count, channels, height, width]
    private final int[] labels;   // [count]

    private ImageFolderDataset(String source, List<String> classNames, Shape sampleShape, byte[] pixels, int[] labels) {
        this.source = source;
        this.classNames = classNames;
        this.sampleShape = sampleShape;
        this.sampleSize = sampleShape.size();
        this.pixels = pixels;
        this.labels = labels;
    }

    /** RGB images resized to {@code height x width}. */
    public static ImageFolderDataset load(Path root, int height, int width) throws InputDataException {
        return load(root, height, width, 3);
    }

    /** Images resized to {@code height x width} with 3 (RGB) or 1 (gray) channels. */
    public static ImageFolderDataset load(Path root, int height, int width, int channels) throws InputDataException {
        if (height < 1 || width < 1) throw new IllegalArgumentException("image size must be positive, got " + height + "x" + width);
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        if (!Files.isDirectory(root)) {
            throw InputDataException.in(root.toString(), Files.exists(root) ? "not a directory" : "no such directory");
        }
        List<Path> classDirs = sorted(root, Files::isDirectory);
        if (classDirs.isEmpty()) throw InputDataException.in(root.toString(), "no class folders (expected root/<class>/<image>)");

        List<String> names = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> fileLabels = new ArrayList<>();
        for (int c = 0; c < classDirs.size(); c++) {
            names.add(classDirs.get(c).getFileName().toString());
            List<Path> images = sorted(classDirs.get(c), ImageFolderDataset::isImage);
            if (images.isEmpty()) throw InputDataException.in(classDirs.get(c).toString(), "class folder holds no images " + EXTENSIONS);
            for (Path p : images) {
                files.add(p);
                fileLabels.add(c);
            }
        }
        Shape sample = Shape.of(channels, height, width);
        if ((long) files.size() * sample.size() > Integer.MAX_VALUE) {
            throw InputDataException.in(root.toString(), files.size() + " images of " + sample + " are too many to hold");
        }
        byte[] pixels = new byte[files.size() * sample.size()];
        int[] labels = new int[files.size()];
        for (int i = 0; i < files.size(); i++) {
            decode(files.get(i), height, width, channels, pixels, i * sample.size());
            labels[i] = fileLabels.get(i);
        }
        return new ImageFolderDataset(root.toString(), Collections.unmodifiableList(names), sample, pixels, labels);
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && EXTENSIONS.stream().anyMatch(n::endsWith);
    }

    private static List<Path> sorted(Path dir, java.util.function.Predicate<Path> keep) throws InputDataException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(keep).sorted().toList();
        } catch (IOException e) {
            throw new InputDataException(dir + ": cannot list: " + e.getMessage(), e);
        }
    }

    /** Reads, resizes and writes one image as planar bytes at {@code out[off..]}. */
    private static void decode(Path file, int height, int width, int channels, byte[] out, int off) throws InputDataException {
        BufferedImage src;
        try {
            src = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new InputDataException(file + ": cannot decode image: " + e.getMessage(), e);
        }
        if (src == null) throw InputDataException.in(file.toString(), "not an image ImageIO can decode");
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xFF, gr = (rgb >> 8) & 0xFF, b = rgb & 0xFF;
                int p = off + y * width + x;
                if (channels == 3) {
                    out[p] = (byte) r;
                    out[p + plane] = (byte) gr;
                    out[p + 2 * plane] = (byte) b;
                } else {
                    out[p] = (byte) Math.round(0.299 * r + 0.587 * gr + 0.114 * b);
                }
            }
        }
    }

    /** Class names, sorted; {@code classNames().get(label(i))} names sample i's class. */
    public List<String> classNames() { return classNames; }

    @Override public int size() { return labels.length; }

    @Override public Shape sampleShape() { return sampleShape; }

    @Override public int numClasses() { return classNames.size(); }

    @Override public int label(int i) { return labels[i]; }

    @Override public void copyInput(int i, Tensor batch, int j) {
        float[] out = batch.data();
        int src = i * sampleSize, dst = j * sampleSize;
        for (int k = 0; k < sampleSize; k++) out[dst + k] = SCALE[pixels[src + k] & 0xFF];
    }

    @Override public String toString() {
        return "ImageFolderDataset[" + source + ", " + labels.length + " x " + sampleShape + ", " + classNames.size() + " classes]";
    }
}
