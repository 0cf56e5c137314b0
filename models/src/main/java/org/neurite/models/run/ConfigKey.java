package org.neurite.models.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One setting of a training run: its name (the same in a run file and as a flag, {@code epochs}
 * and {@code --epochs}), its type, its default and whether it may be left unset (null).
 */
public record ConfigKey(String name, Type type, Object defaultValue, boolean nullable, String help) {
    /** The types a run file can hold. */
    public enum Type {
        STRING("a string"), PATH("a path"), INT("an integer"), LONG("an integer"), DOUBLE("a number"), BOOL("true or false");

        private final String what;

        Type(String what) { this.what = what; }

        /** "an integer", for error messages. */
        public String what() { return what; }
    }

    /** Every key, in the order a resolved config.yaml lists them. */
    public static final List<ConfigKey> ALL = List.of(
            key("model", Type.STRING, "lenet5", "model name (neurite models)"),
            nullable("data", Type.PATH, "folder of MNIST IDX files; null: the bundled sample"),
            key("epochs", Type.INT, 5, "epochs"),
            key("batch", Type.INT, 32, "mini-batch size"),
            key("optimizer", Type.STRING, "sgd", "sgd or adam"),
            nullable("lr", Type.DOUBLE, "learning rate; null: 0.01 for sgd, 0.001 for adam"),
            key("momentum", Type.DOUBLE, 0.9, "SGD momentum"),
            key("schedule", Type.STRING, "cosine", "none, cosine or step:EPOCHS:GAMMA"),
            key("seed", Type.LONG, 42L, "random seed (weights, shuffling, validation split)"),
            nullable("threads", Type.INT, "CPU threads; null: all cores"),
            key("device", Type.STRING, "auto", "auto, cpu, cuda or cuda:N"),
            nullable("cuda-libs", Type.PATH, "folder with the cuBLAS and cuDNN libraries"),
            key("deterministic", Type.BOOL, false, "deterministic cuDNN algorithms only; a no-op on the CPU"),
            nullable("out", Type.PATH, "run directory; null: runs/MODEL-TIME"),
            key("val-split", Type.DOUBLE, 0.0, "fraction of the training set held out for validation"),
            key("early-stop-patience", Type.INT, 0, "stop after N epochs without improvement; 0: off"),
            key("early-stop-metric", Type.STRING, "val_loss", "val_loss or val_accuracy"),
            key("checkpoint-every", Type.INT, 0, "also checkpoint every N steps; 0: at epoch ends only"),
            key("keep-last", Type.INT, 0, "keep the newest K checkpoints; 0: all"),
            key("log-every", Type.INT, 0, "a metrics line every N steps; 0: per epoch only"),
            key("max-steps", Type.LONG, 0L, "stop after N steps in all; 0: no limit"),
            key("limit-train", Type.INT, 0, "use the first N training images; 0: all"),
            key("skip-nonfinite", Type.BOOL, false, "skip steps whose loss or gradients are NaN/Inf"),
            key("quiet", Type.BOOL, false, "no progress bar"));

    private static final Map<String, ConfigKey> BY_NAME = new LinkedHashMap<>();

    static {
        for (ConfigKey k : ALL) BY_NAME.put(k.name, k);
    }

    /** The key called {@code name}, or null. */
    public static ConfigKey byName(String name) { return BY_NAME.get(name); }

    /** The known key nearest to {@code name} by edit distance (for "did you mean"), or null if none is close. */
    public static String nearest(String name) {
        String best = null;
        int bestDistance = 3; // more than two edits away is no suggestion
        for (String k : BY_NAME.keySet()) {
            int d = distance(name, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best;
    }

    private static ConfigKey key(String name, Type type, Object defaultValue, String help) {
        return new ConfigKey(name, type, defaultValue, false, help);
    }

    private static ConfigKey nullable(String name, Type type, String help) {
        return new ConfigKey(name, type, null, true, help);
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
