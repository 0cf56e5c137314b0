package org.neurite.models.torch;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.layers.Module;
import org.neurite.layers.Param;
import org.neurite.layers.norm.Buffers;
import org.neurite.layers.rnn.Rnn;
import org.neurite.layers.rnn.RnnLayout;
import org.neurite.models.data.InputDataException;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * The PyTorch state_dict of a Neurite model: names, shapes and where each value lives.
 *
 * <p>Neurite's qualified names are PyTorch's (the zoo builders use torchvision's attribute names),
 * and dense, convolution and batch-norm tensors have PyTorch's layouts, so most entries are the
 * parameter or buffer itself. Two kinds differ:
 * <ul>
 * <li>an {@link Rnn}'s one flat cuDNN-order buffer {@code <prefix>.weights} is PyTorch's
 * {@code <prefix>.weight_ih_l{k}[_reverse]}, {@code weight_hh_l{k}}, {@code bias_ih_l{k}},
 * {@code bias_hh_l{k}}: slices of it ({@link RnnLayout}; gate orders agree: LSTM i, f, g, o and
 * GRU r, z, n);
 * <li>every batch norm's {@code num_batches_tracked} (I64 scalar), which Neurite does not keep: it is
 * accepted and ignored on import (PyTorch uses it only with {@code momentum=None}) and written on
 * export so that {@code load_state_dict} in strict mode finds it.
 * </ul>
 * <pre>{@code
 * Module model = ModelZoo.get("resnet18").build(new Rng(0));
 * TorchStateDict.load(model, TorchSafeTensors.read(file), file.toString(), List.of());
 * Map<String, Tensor> sd = TorchStateDict.floats(model);   // PyTorch name -> value (copies)
 * }</pre>
 */
public final class TorchStateDict {
    private static final int SHOW = 8;   // names listed per kind of problem in an error

    /** What an entry is in PyTorch: a parameter, a float buffer, or batch norm's integer counter. */
    public enum Kind { PARAMETER, BUFFER, COUNTER }

    /**
     * One state_dict entry: its PyTorch name and shape, and its values in the Neurite model,
     * {@code shape.size()} floats of {@code storage} from {@code offset} (null for a counter).
     */
    public record Entry(String name, Shape shape, Kind kind, Tensor storage, int offset) {
        /** A copy of the values, shaped as PyTorch's tensor. */
        public Tensor read() {
            Tensor t = Tensor.zeros(shape);
            System.arraycopy(storage.data(), offset, t.data(), 0, t.size());
            return t;
        }

        /** Copies {@code src} (same number of elements) into the model. */
        public void write(Tensor src) {
            System.arraycopy(src.data(), 0, storage.data(), offset, shape.size());
        }
    }

    private TorchStateDict() { }

    /** Every entry of the model's PyTorch state_dict: parameters, then buffers and counters, model order. */
    public static List<Entry> entries(Module model) {
        Map<Tensor, Rnn> rnns = new IdentityHashMap<>();
        collectRnns(model, rnns);
        List<Entry> out = new ArrayList<>();
        for (Param p : model.params()) {
            Rnn rnn = rnns.get(p.value());
            if (rnn == null) {
                out.add(new Entry(p.name(), p.value().shape(), Kind.PARAMETER, p.value(), 0));
                continue;
            }
            String prefix = p.name().substring(0, p.name().lastIndexOf('.') + 1);    // "rnn.weights" -> "rnn."
            RnnLayout lay = rnn.layout();
            for (int l = 0; l < lay.numLayers(); l++) {
                for (int d = 0; d < lay.directions(); d++) {
                    for (RnnLayout.Part part : RnnLayout.Part.values()) {
                        out.add(new Entry(prefix + lay.pytorchName(part, l, d), lay.shape(part, l), Kind.PARAMETER, p.value(), lay.offset(part, l, d)));
                    }
                }
            }
        }
        for (Map.Entry<String, Tensor> b : Buffers.of(model).entrySet()) {
            out.add(new Entry(b.getKey(), b.getValue().shape(), Kind.BUFFER, b.getValue(), 0));
            if (b.getKey().equals("running_var") || b.getKey().endsWith(".running_var")) {
                String counter = b.getKey().substring(0, b.getKey().length() - "running_var".length()) + "num_batches_tracked";
                out.add(new Entry(counter, Shape.of(), Kind.COUNTER, null, 0));
            }
        }
        return out;
    }

    /** PyTorch name to a copy of the value, for every parameter and float buffer (counters left out). */
    public static Map<String, Tensor> floats(Module model) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (Entry e : entries(model)) if (e.kind() != Kind.COUNTER) m.put(e.name(), e.read());
        return m;
    }

    /** The names of the batch-norm counters ({@code num_batches_tracked}), which export writes as I64. */
    public static List<String> counters(Module model) {
        return entries(model).stream().filter(e -> e.kind() == Kind.COUNTER).map(Entry::name).toList();
    }

    /**
     * Loads a PyTorch state_dict into {@code model}. Every parameter and buffer must be present
     * with PyTorch's shape; counters may be absent and are ignored; names starting with one of
     * {@code ignoredPrefixes} (e.g. GoogLeNet's auxiliary heads {@code aux1.}) are skipped. Checks
     * everything first and changes nothing on failure; the one-line error names {@code source} and
     * lists the missing, unexpected and mismatched keys.
     */
    public static void load(Module model, TorchSafeTensors.Contents sd, String source, List<String> ignoredPrefixes)
            throws InputDataException {
        List<Entry> entries = entries(model);
        Map<String, Entry> byName = new LinkedHashMap<>();
        for (Entry e : entries) byName.put(e.name(), e);
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), mismatched = new ArrayList<>();
        for (Entry e : entries) {
            if (e.kind() == Kind.COUNTER) continue;
            Tensor t = sd.floats().get(e.name());
            if (t == null) {
                if (sd.integers().containsKey(e.name())) mismatched.add(e.name() + " is an integer tensor, expected floats");
                else missing.add(e.name());
            } else if (!t.shape().equals(e.shape())) {
                mismatched.add(e.name() + " " + t.shape() + " in file, " + e.shape() + " in model");
            }
        }
        List<String> names = new ArrayList<>(sd.floats().keySet());
        names.addAll(sd.integers().keySet());
        for (String n : names) {
            if (!byName.containsKey(n) && ignoredPrefixes.stream().noneMatch(n::startsWith)) unexpected.add(n);
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !mismatched.isEmpty()) {
            StringBuilder sb = new StringBuilder("state_dict does not match the model:");
            append(sb, "missing", missing);
            append(sb, "unexpected", unexpected);
            append(sb, "mismatched", mismatched);
            throw InputDataException.in(source, sb.toString());
        }
        for (Entry e : entries) if (e.kind() != Kind.COUNTER) e.write(sd.floats().get(e.name()));
    }

    private static void collectRnns(Module m, Map<Tensor, Rnn> into) {
        if (m instanceof Rnn r) into.put(r.weights().value(), r);
        for (Module c : m.children()) collectRnns(c, into);
    }

    private static void append(StringBuilder sb, String what, List<String> names) {
        if (names.isEmpty()) return;
        if (sb.charAt(sb.length() - 1) != ':') sb.append(';');
        sb.append(' ').append(what).append(" (").append(names.size()).append("): ")
                .append(String.join(", ", names.subList(0, Math.min(SHOW, names.size()))));
        if (names.size() > SHOW) sb.append(" and ").append(names.size() - SHOW).append(" more");
    }
}
