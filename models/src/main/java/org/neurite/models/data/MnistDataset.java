package org.neurite.models.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * An MNIST-format image set (MNIST, Fashion-MNIST, ...): grayscale images with class labels
 * 0..9, read from an IDX image file and an IDX label file.
 *
 * <p>Samples are presented as float32 {@code [1, H, W]} (28x28 for MNIST) scaled to [0, 1]
 * (pixel / 255). The pixels are kept as bytes, so the 60,000 training digits take 47 MB instead
 * of 188 MB, and converted when a sample is copied into a batch.
 *
 * <pre>{@code
 * MnistDataset train = MnistDataset.load(dir, MnistDataset.Split.TRAIN);
 * MnistDataset test = MnistDataset.bundledSample(MnistDataset.Split.TEST); // 500 digits, from the jar
 * }</pre>
 */
public final class MnistDataset implements Dataset {
    /** The two halves of MNIST, by their standard file name prefixes. */
    public enum Split {
        TRAIN("train"), TEST("t10k");

        private final String prefix;

        Split(String prefix) { this.prefix = prefix; }

        /** Standard image file name, without {@code .gz}. */
        public String imagesFile() { return prefix + "-images-idx3-ubyte"; }

        /** Standard label file name, without {@code .gz}. */
        public String labelsFile() { return prefix + "-labels-idx1-ubyte"; }
    }

    /** Classpath folder of the sample packed into the models jar (see src-test-data/README.md). */
    public static final String SAMPLE_RESOURCE = "/org/neurite/models/sample/mnist/";

    private static final int CLASSES = 10;
    private static final float[] SCALE = new float[256]; // pixel byte -> [0, 1]

    static {
        for (int v = 0; v < 256; v++) SCALE[v] = v / 255f;
    }

    private final String source;
    private final int count;
    private final Shape sampleShape;
    private final byte[] pixels; // [count, H, W] unsigned
    private final byte[] labels; // [count]

    private MnistDataset(String source, IdxReader.IdxArray images, IdxReader.IdxArray labelArray) throws InputDataException {
        if (images.type() != IdxReader.UBYTE || images.dims().length != 3) {
            throw InputDataException.in(images.source(), "expected unsigned-byte images [N, H, W], found type "
                    + String.format("0x%02x", images.type()) + " dims " + Arrays.toString(images.dims()));
        }
        if (labelArray.type() != IdxReader.UBYTE || labelArray.dims().length != 1) {
            throw InputDataException.in(labelArray.source(), "expected unsigned-byte labels [N], found type "
                    + String.format("0x%02x", labelArray.type()) + " dims " + Arrays.toString(labelArray.dims()));
        }
        int[] d = images.dims();
        if (d[0] == 0 || d[1] == 0 || d[2] == 0) { // an empty set would fail later, far from its cause
            throw InputDataException.in(images.source(), "holds no pixels: dims " + Arrays.toString(d) + " (expected N, H, W >= 1)");
        }
        if (images.count() != labelArray.count()) {
            throw InputDataException.in(source, images.count() + " images in " + images.source() + " but "
                    + labelArray.count() + " labels in " + labelArray.source());
        }
        for (int i = 0; i < labelArray.count(); i++) {
            if (labelArray.ubyte(i) >= CLASSES) {
                throw InputDataException.at(labelArray.source(), 8L + i,
                        "label " + labelArray.ubyte(i) + " of record " + i + " is not a digit 0..9");
            }
        }
        this.source = source;
        this.count = images.count();
        this.sampleShape = Shape.of(1, images.dims()[1], images.dims()[2]);
        this.pixels = images.data();
        this.labels = labelArray.data();
    }

    /**
     * Loads a split from {@code dir}, which holds the standard file names, each plain or with
     * {@code .gz} (the plain one wins when both exist).
     */
    public static MnistDataset load(Path dir, Split split) throws InputDataException {
        if (!Files.isDirectory(dir)) {
            throw InputDataException.in(dir.toString(), Files.exists(dir) ? "not a directory" : "no such directory");
        }
        IdxReader.IdxArray images = IdxReader.read(find(dir, split.imagesFile()));
        IdxReader.IdxArray labelArray = IdxReader.read(find(dir, split.labelsFile()));
        return new MnistDataset(dir + " (" + split.prefix + ")", images, labelArray);
    }

    /** Loads an images file and a labels file given by path (each plain or gzipped). */
    public static MnistDataset fromFiles(Path imagesFile, Path labelsFile) throws InputDataException {
        for (Path p : new Path[] {imagesFile, labelsFile}) {
            if (!Files.isRegularFile(p)) throw InputDataException.in(p.toString(), "no such file");
        }
        return new MnistDataset(imagesFile.toString(), IdxReader.read(imagesFile), IdxReader.read(labelsFile));
    }

    /** The sample packed into the jar: 2,000 training or 500 test digits; runs anywhere. */
    public static MnistDataset bundledSample(Split split) throws InputDataException {
        IdxReader.IdxArray images = readResource(split.imagesFile() + ".gz");
        IdxReader.IdxArray labelArray = readResource(split.labelsFile() + ".gz");
        return new MnistDataset("bundled MNIST sample (" + split.prefix + ")", images, labelArray);
    }

    private static Path find(Path dir, String name) throws InputDataException {
        Path plain = dir.resolve(name);
        if (Files.isRegularFile(plain)) return plain;
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) return gz;
        throw InputDataException.in(dir.toString(), "missing " + name + " (or " + name + ".gz)");
    }

    private static IdxReader.IdxArray readResource(String name) throws InputDataException {
        String path = SAMPLE_RESOURCE + name;
        try (InputStream in = MnistDataset.class.getResourceAsStream(path)) {
            if (in == null) throw new InputDataException("classpath:" + path + ": bundled sample not found (broken jar?)");
            return IdxReader.read(in, "classpath:" + path);
        } catch (IOException e) {
            throw new InputDataException("classpath:" + path + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Where the data came from, for logs. */
    public String source() { return source; }

    @Override public int size() { return count; }

    @Override public Shape sampleShape() { return sampleShape; }

    @Override public int numClasses() { return CLASSES; }

    @Override public int label(int i) {
        return labels[i];
    }

    @Override public void copyInput(int i, Tensor batch, int j) {
        int n = sampleShape.size();
        float[] dst = batch.data();
        int src = i * n;
        int off = j * n;
        for (int k = 0; k < n; k++) dst[off + k] = SCALE[pixels[src + k] & 0xff];
    }

    /** All images as one new float32 tensor {@code [N, 1, H, W]} in [0, 1] (e.g. for evaluation). */
    public Tensor images() {
        Tensor t = Tensor.zeros(Shape.of(count, sampleShape.dim(0), sampleShape.dim(1), sampleShape.dim(2)));
        for (int i = 0; i < count; i++) copyInput(i, t, i);
        return t;
    }

    /** All labels, a new array. */
    public int[] labels() {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) out[i] = labels[i];
        return out;
    }

    @Override public String toString() {
        return "MnistDataset[" + source + ", " + count + " x " + sampleShape + "]";
    }
}
