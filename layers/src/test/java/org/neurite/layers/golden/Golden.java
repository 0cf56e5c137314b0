package org.neurite.layers.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.layers.Param;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.TensorAsserts;

/**
 * One golden file of {@code src-test-data/golden/} (written by {@code make_golden.py} from PyTorch):
 * tensors named {@code <case>/<tensor>} and, per case, a configuration string
 * {@code "key=value key=value"} in the safetensors metadata.
 *
 * <p>The reader is a small one for these files only (layers' tests cannot use models' validating
 * {@code SafeTensors}): compact JSON as the generator writes it, F32 tensors.
 *
 * <pre>{@code
 * Golden g = Golden.load("conv2d");
 * for (String c : g.cases()) { Tensor x = g.tensor(c, "x"); int[] k = g.ints(c, "kernel"); ... }
 * Golden.assertForward("conv2d/basic y", g.tensor("basic", "y"), y);
 * }</pre>
 */
public final class Golden {
    /** Relative tolerance of outputs (float32 against the correctly rounded answer). */
    public static final double FORWARD_REL = 1e-5;
    /** Relative tolerance of gradients. */
    public static final double GRAD_REL = 1e-4;
    /**
     * Absolute floor: about 8 float32 ulps of a value of magnitude 1, for entries that cancel to
     * near zero (a sum of O(1) terms that lands at 1e-3 carries the terms' rounding, not its own).
     */
    public static final double ABS = 1e-6;

    private static final Pattern TENSOR = Pattern.compile(
            "\"([^\"]+)\":\\{\"dtype\":\"F32\",\"shape\":\\[([0-9,]*)\\],\"data_offsets\":\\[(\\d+),(\\d+)\\]\\}");
    private static final Pattern META = Pattern.compile("\"__metadata__\":\\{([^}]*)\\}");
    private static final Pattern PAIR = Pattern.compile("\"([^\"]*)\":\"([^\"]*)\"");

    private final String family;
    private final Map<String, Tensor> tensors;
    private final Map<String, String> configs;

    private Golden(String family, Map<String, Tensor> tensors, Map<String, String> configs) {
        this.family = family;
        this.tensors = tensors;
        this.configs = configs;
    }

    /** Reads {@code src-test-data/golden/<family>.safetensors}, found from the working directory upward. */
    public static Golden load(String family) {
        Path file = directory().resolve(family + ".safetensors");
        try {
            return parse(family, Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read golden file " + file, e);
        }
    }

    /** The golden directory: tests run from a module folder, the data sits at the repository root. */
    public static Path directory() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path d = p.resolve("src-test-data").resolve("golden");
            if (Files.isDirectory(d)) return d;
        }
        throw new IllegalStateException("no src-test-data/golden above " + Path.of("").toAbsolutePath());
    }

    static Golden parse(String family, byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = b.getLong();
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        int dataStart = 8 + (int) n;

        Map<String, String> configs = new LinkedHashMap<>();
        Matcher meta = META.matcher(header);
        if (meta.find()) {
            Matcher pair = PAIR.matcher(meta.group(1));
            while (pair.find()) configs.put(pair.group(1), pair.group(2));
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Matcher t = TENSOR.matcher(header);
        long covered = 0;
        while (t.find()) {
            String dims = t.group(2);
            int[] shape = dims.isEmpty() ? new int[0] : Arrays.stream(dims.split(",")).mapToInt(Integer::parseInt).toArray();
            int begin = Integer.parseInt(t.group(3));
            int end = Integer.parseInt(t.group(4));
            float[] data = new float[(end - begin) / 4];
            b.position(dataStart + begin);
            b.asFloatBuffer().get(data);
            Tensor tensor = Tensor.wrap(Shape.of(shape), data);
            if (tensor.size() * 4L != end - begin) throw new IllegalStateException(family + ": " + t.group(1) + " size does not match its shape");
            tensors.put(t.group(1), tensor);
            covered += end - begin;
        }
        if (covered != bytes.length - dataStart) {
            throw new IllegalStateException(family + ": tensors cover " + covered + " of " + (bytes.length - dataStart) + " data bytes");
        }
        return new Golden(family, tensors, configs);
    }

    /** Case names in file order (the metadata keys). */
    public List<String> cases() { return new ArrayList<>(configs.keySet()); }

    /** The configuration string of {@code c}, e.g. {@code "kind=max kernel=3,3 stride=2,2 padding=1,1"}. */
    public String config(String c) {
        String s = configs.get(c);
        if (s == null) throw new IllegalArgumentException(family + ": no case " + c);
        return s;
    }

    /** The value of {@code key} in case {@code c}'s configuration. */
    public String value(String c, String key) {
        for (String kv : config(c).split(" ")) {
            int eq = kv.indexOf('=');
            if (kv.substring(0, eq).equals(key)) return kv.substring(eq + 1);
        }
        throw new IllegalArgumentException(family + "/" + c + ": no " + key + " in '" + config(c) + "'");
    }

    public int[] ints(String c, String key) {
        return Arrays.stream(value(c, key).split(",")).mapToInt(Integer::parseInt).toArray();
    }

    public int integer(String c, String key) { return Integer.parseInt(value(c, key)); }

    public double number(String c, String key) { return Double.parseDouble(value(c, key)); }

    public boolean flag(String c, String key) { return Boolean.parseBoolean(value(c, key)); }

    /** A fresh copy of tensor {@code name} of case {@code c} (an empty case name means no prefix). */
    public Tensor tensor(String c, String name) {
        Tensor t = tensors.get(key(c, name));
        if (t == null) throw new IllegalArgumentException(family + ": no tensor " + key(c, name));
        return t.copy();
    }

    /** Every tensor's full name ({@code <case>/<tensor>}), in file order. */
    public List<String> tensorNames() { return new ArrayList<>(tensors.keySet()); }

    public boolean has(String c, String name) { return tensors.containsKey(key(c, name)); }

    private static String key(String c, String name) { return c.isEmpty() ? name : c + "/" + name; }

    public String family() { return family; }

    /**
     * The floor's share of the tensor's largest magnitude: an entry that is a sum of many terms
     * carries rounding of the size of its terms, which the largest entry bounds. 1e-6 is about 8
     * float32 ulps of that entry (a sum cancelling to 1e-3 beside entries of 30 carries 1e-6).
     */
    public static final double SCALE_FLOOR = 1e-6;

    /** Shapes equal and every element within {@code abs + SCALE_FLOOR * max|expected| + rel * |expected|}. */
    public static void assertClose(String what, Tensor expected, Tensor actual, double rel, double abs) {
        assertArrayEquals(expected.shape().dims(), actual.shape().dims(), what + ": shape " + actual.shape() + ", expected " + expected.shape());
        double max = 0;
        for (float v : expected.data()) max = Math.max(max, Math.abs(v));
        TensorAsserts.assertClose(what, expected.data(), actual.data(), rel, abs + SCALE_FLOOR * max);
    }

    public static void assertForward(String what, Tensor expected, Tensor actual) {
        assertClose(what, expected, actual, FORWARD_REL, ABS);
    }

    public static void assertGrad(String what, Tensor expected, Tensor actual) {
        assertClose(what, expected, actual, GRAD_REL, ABS);
    }

    /**
     * Checks a layer against case {@code c}: loads the case's parameters into {@code module} by
     * name ({@code weight}, {@code bias}, ...; every parameter must be in the file), runs forward on
     * {@code x} and backward on {@code dy}, and compares y, dx and each parameter's gradient
     * ({@code dweight}, ...). Gradients are compared after a {@code zeroGrad}, so they are one
     * backward's worth.
     */
    public void checkLayer(String c, Module module) {
        String at = family + "/" + c;
        for (Param p : module.params()) {
            if (!has(c, p.name())) throw new IllegalArgumentException(at + ": no golden value for parameter " + p.name());
            Tensor v = tensor(c, p.name());
            assertArrayEquals(v.shape().dims(), p.value().shape().dims(), at + ": " + p.name() + " shape");
            p.value().copyFrom(v);
        }
        module.zeroGrad();
        Tensor y = module.forward(tensor(c, "x"), Mode.TRAIN);
        assertForward(at + " y", tensor(c, "y"), y);
        Tensor dX = module.backward(tensor(c, "dy"));
        assertGrad(at + " dx", tensor(c, "dx"), dX);
        for (Param p : module.params()) assertGrad(at + " d" + p.name(), tensor(c, "d" + p.name()), p.grad());
    }

    /** Fails unless the file holds every case in {@code names}, so a lost case cannot pass silently. */
    public void assertHasCases(String... names) {
        for (String n : names) assertTrue(configs.containsKey(n), family + ": golden file lacks case " + n + "; has " + configs.keySet());
    }
}
