package org.neurite.models.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * CIFAR-10 or CIFAR-100 in the "binary version" layout of https://www.cs.toronto.edu/~kriz/cifar.html:
 * fixed-size records, each a label byte (CIFAR-100: a coarse label byte, then a fine label byte)
 * followed by 3,072 pixel bytes, the 1,024 red, then green, then blue values of a 32x32 image in
 * row-major order.
 *
 * <p>Samples are float32 {@code [3, 32, 32]} scaled to [0, 1]; the pixels are kept as bytes.
 * CIFAR-100's {@link #label} is the fine label (100 classes); {@link #coarseLabel} gives the
 * superclass (20). Every file's length must be a whole number of records and every label in range;
 * errors name the file and the byte offset.
 *
 * <pre>{@code
 * CifarDataset train = CifarDataset.load(Path.of("cifar-10-batches-bin"), CifarDataset.Variant.CIFAR10, true);
 * CifarDataset test = CifarDataset.fromFiles(CifarDataset.Variant.CIFAR100, Path.of("cifar-100-binary/test.bin"));
 * }</pre>
 */
public final class CifarDataset implements Dataset {
    /** The two data sets: label bytes per record, classes, and the standard file names. */
    public enum Variant {
        CIFAR10(1, 10, 0, List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"),
                List.of("test_batch.bin")),
        CIFAR100(2, 100, 20, List.of("train.bin"), List.of("test.bin"));

        private final int labelBytes;
        private final int classes;
        private final int coarseClasses;
        private final List<String> trainFiles;
        private final List<String> testFiles;

        Variant(int labelBytes, int classes, int coarseClasses, List<String> trainFiles, List<String> testFiles) {
            this.labelBytes = labelBytes;
            this.classes = classes;
            this.coarseClasses = coarseClasses;
            this.trainFiles = trainFiles;
            this.testFiles = testFiles;
        }

        /** Bytes in one record: the label bytes and 3 x 32 x 32 pixels. */
        public int recordBytes() { return labelBytes + PIXELS; }

        public int classes() { return classes; }

        /** Standard file names of the training or the test split. */
        public List<String> files(boolean train) { return train ? trainFiles : testFiles; }
    }

    /** Pixel bytes per image: 3 channels of 32 x 32. */
    public static final int PIXELS = 3 * 32 * 32;
    private static final Shape SAMPLE = Shape.of(3, 32, 32);
    private static final float[] SCALE = new float[256];

    static {
        for (int v = 0; v < 256; v++) SCALE[v] = v / 255f;
    }

    private final Variant variant;
    private final String source;
    private final int count;
    private final byte[] pixels;   // [count, 3, 32, 32] unsigned
    private final byte[] labels;   // [count], fine labels for CIFAR-100
    private final byte[] coarse;   // [count] for CIFAR-100, else null

    private CifarDataset(Variant variant, String source, int count, byte[] pixels, byte[] labels, byte[] coarse) {
        this.variant = variant;
        this.source = source;
        this.count = count;
        this.pixels = pixels;
        this.labels = labels;
        this.coarse = coarse;
    }

    /** Loads the training split (all its batches, in order) or the test split from {@code dir}. */
    public static CifarDataset load(Path dir, Variant variant, boolean train) throws InputDataException {
        if (!Files.isDirectory(dir)) {
            throw InputDataException.in(dir.toString(), Files.exists(dir) ? "not a directory" : "no such directory");
        }
        List<Path> files = new ArrayList<>();
        for (String name : variant.files(train)) {
            Path p = dir.resolve(name);
            if (!Files.isRegularFile(p)) throw InputDataException.in(dir.toString(), "missing " + name + " (" + variant + ")");
            files.add(p);
        }
        return read(variant, dir + " (" + (train ? "train" : "test") + ")", files);
    }

    /** Loads the given record files, concatenated in the order given. */
    public static CifarDataset fromFiles(Variant variant, Path... files) throws InputDataException {
        if (files.length == 0) throw new IllegalArgumentException("no CIFAR files given");
        return read(variant, files.length == 1 ? files[0].toString() : files[0] + " and " + (files.length - 1) + " more", List.of(files));
    }

    private static CifarDataset read(Variant variant, String source, List<Path> files) throws InputDataException {
        int rec = variant.recordBytes();
        long total = 0;
        List<byte[]> contents = new ArrayList<>();
        for (Path p : files) {
            byte[] b;
            try {
                b = Files.readAllBytes(p);
            } catch (IOException e) {
                throw new InputDataException(p + ": cannot read: " + e.getMessage(), e);
            }
            if (b.length == 0) throw InputDataException.in(p.toString(), "empty file");
            if (b.length % rec != 0) {
                long whole = b.length / rec;
                throw InputDataException.at(p.toString(), whole * rec, "truncated record " + whole + ": " + (b.length % rec)
                        + " of " + rec + " bytes (" + variant + " records are " + rec + " bytes; file has " + b.length + ")");
            }
            contents.add(b);
            total += b.length / rec;
        }
        if (total > Integer.MAX_VALUE / PIXELS) throw InputDataException.in(source, total + " images are too many to hold");
        int count = (int) total;
        byte[] pixels = new byte[count * PIXELS];
        byte[] labels = new byte[count];
        byte[] coarse = variant == Variant.CIFAR100 ? new byte[count] : null;
        int i = 0;
        for (int f = 0; f < files.size(); f++) {
            byte[] b = contents.get(f);
            for (int r = 0; r < b.length / rec; r++, i++) {
                int off = r * rec;
                if (coarse != null) {
                    coarse[i] = check(files.get(f), off, r, b[off], variant.coarseClasses, "coarse label");
                    labels[i] = check(files.get(f), off + 1, r, b[off + 1], variant.classes, "fine label");
                } else {
                    labels[i] = check(files.get(f), off, r, b[off], variant.classes, "label");
                }
                System.arraycopy(b, off + variant.labelBytes, pixels, i * PIXELS, PIXELS);
            }
        }
        return new CifarDataset(variant, source, count, pixels, labels, coarse);
    }

    private static byte check(Path file, long offset, int record, byte value, int classes, String what) throws InputDataException {
        int v = value & 0xFF;
        if (v >= classes) {
            throw InputDataException.at(file.toString(), offset, what + " " + v + " of record " + record + " is not in 0.." + (classes - 1));
        }
        return value;
    }

    public Variant variant() { return variant; }

    @Override public int size() { return count; }

    @Override public Shape sampleShape() { return SAMPLE; }

    @Override public int numClasses() { return variant.classes; }

    @Override public int label(int i) { return labels[i] & 0xFF; }

    /** CIFAR-100's superclass (0..19) of sample {@code i}. */
    public int coarseLabel(int i) {
        if (coarse == null) throw new UnsupportedOperationException(variant + " has no coarse labels");
        return coarse[i] & 0xFF;
    }

    @Override public void copyInput(int i, Tensor batch, int j) {
        float[] out = batch.data();
        int src = i * PIXELS, dst = j * PIXELS;
        for (int k = 0; k < PIXELS; k++) out[dst + k] = SCALE[pixels[src + k] & 0xFF];
    }

    @Override public String toString() {
        return "CifarDataset[" + variant + ", " + source + ", " + count + " x " + SAMPLE + "]";
    }
}
