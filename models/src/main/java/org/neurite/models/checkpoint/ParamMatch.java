package org.neurite.models.checkpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.neurite.models.data.InputDataException;
import org.neurite.runtime.Tensor;

/** Checks that tensors read from a file have exactly the names and shapes a model expects. */
final class ParamMatch {
    private static final int SHOW = 8; // names listed per kind of problem before "and N more"

    private ParamMatch() { }

    /** Throws one error listing every missing, unexpected and mismatched name. */
    static void check(Path file, Map<String, Tensor> loaded, Map<String, Tensor> expected) throws InputDataException {
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), mismatched = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            Tensor t = loaded.get(e.getKey());
            if (t == null) {
                missing.add(e.getKey());
            } else if (!t.shape().equals(e.getValue().shape())) {
                mismatched.add(e.getKey() + " " + t.shape() + " in file, " + e.getValue().shape() + " in model");
            }
        }
        for (String name : loaded.keySet()) if (!expected.containsKey(name)) unexpected.add(name);
        if (missing.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty()) return;
        StringBuilder sb = new StringBuilder("does not match the model:");
        append(sb, "missing", missing);
        append(sb, "unexpected", unexpected);
        append(sb, "shape mismatch", mismatched);
        throw InputDataException.in(file.toString(), sb.toString());
    }

    private static void append(StringBuilder sb, String what, List<String> names) {
        if (names.isEmpty()) return;
        if (sb.charAt(sb.length() - 1) != ':') sb.append(';');
        sb.append(' ').append(what).append(' ').append(String.join(", ", names.subList(0, Math.min(SHOW, names.size()))));
        if (names.size() > SHOW) sb.append(" and ").append(names.size() - SHOW).append(" more");
    }
}
