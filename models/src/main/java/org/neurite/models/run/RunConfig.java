package org.neurite.models.run;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.neurite.models.train.Schedules;

/**
 * The resolved settings of a training run: defaults, then a run file, then flags, each layer
 * overriding the one before (PyTorch Lightning's config-then-CLI order). Every value remembers
 * where it came from, so an error names the flag ({@code --batch}) or the file and line
 * ({@code run.yaml line 3: batch}).
 *
 * <pre>{@code
 * RunConfig c = RunConfig.builder()
 *         .load(Path.of("run.yaml"))            // keys as in ConfigKey.ALL
 *         .set("epochs", 10, "--epochs")        // a flag wins over the file
 *         .build();                             // checks types and ranges
 * c.epochs();                                   // 10
 * RunConfigYaml.write(runDir.resolve("config.yaml"), c);
 * }</pre>
 */
public final class RunConfig {
    private final Map<String, Object> values;
    private final Map<String, String> origins;

    private RunConfig(Map<String, Object> values, Map<String, String> origins) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.origins = Map.copyOf(origins);
    }

    public static Builder builder() { return new Builder(); }

    /** All values by key name in {@link ConfigKey#ALL} order (nulls for unset nullable keys). */
    public Map<String, Object> values() { return values; }

    /** Where a key's value came from: "default", a flag such as "--epochs", or "FILE line N". */
    public String origin(String key) { return origins.getOrDefault(key, "default"); }

    /** A builder holding these values, to override some (e.g. a resumed run's new --epochs). */
    public Builder toBuilder() {
        Builder b = new Builder();
        values.forEach((k, v) -> b.set(k, v, origin(k)));
        return b;
    }

    public String model() { return (String) values.get("model"); }

    /** Folder of IDX files, or null for the bundled sample. */
    public Path data() { return (Path) values.get("data"); }

    public int epochs() { return (Integer) values.get("epochs"); }

    public int batch() { return (Integer) values.get("batch"); }

    public String optimizer() { return (String) values.get("optimizer"); }

    /** The learning rate, or null for the optimizer's default. */
    public Double lr() { return (Double) values.get("lr"); }

    public double momentum() { return (Double) values.get("momentum"); }

    public String schedule() { return (String) values.get("schedule"); }

    public long seed() { return (Long) values.get("seed"); }

    /** CPU threads, or null for all cores. */
    public Integer threads() { return (Integer) values.get("threads"); }

    public String device() { return (String) values.get("device"); }

    public Path cudaLibs() { return (Path) values.get("cuda-libs"); }

    /**
     * Deterministic cuDNN algorithms only ({@code --deterministic}): on a GPU the same run gives the
     * same bits, perhaps more slowly. The CPU engine is always deterministic for a given thread
     * count, so there it changes nothing.
     */
    public boolean deterministic() { return (Boolean) values.get("deterministic"); }

    /** The run directory, or null for a fresh one under runs/. */
    public Path out() { return (Path) values.get("out"); }

    public double valSplit() { return (Double) values.get("val-split"); }

    public int earlyStopPatience() { return (Integer) values.get("early-stop-patience"); }

    public String earlyStopMetric() { return (String) values.get("early-stop-metric"); }

    public int checkpointEvery() { return (Integer) values.get("checkpoint-every"); }

    public int keepLast() { return (Integer) values.get("keep-last"); }

    public int logEvery() { return (Integer) values.get("log-every"); }

    public long maxSteps() { return (Long) values.get("max-steps"); }

    public int limitTrain() { return (Integer) values.get("limit-train"); }

    public boolean skipNonfinite() { return (Boolean) values.get("skip-nonfinite"); }

    public boolean quiet() { return (Boolean) values.get("quiet"); }

    @Override public boolean equals(Object o) {
        return o instanceof RunConfig c && c.values.equals(values);
    }

    @Override public int hashCode() { return values.hashCode(); }

    @Override public String toString() { return "RunConfig" + values; }

    /** Collects values layer by layer; {@link #build} checks them. */
    public static final class Builder {
        private final Map<String, Object> values = new LinkedHashMap<>();
        private final Map<String, String> origins = new LinkedHashMap<>();

        private Builder() {
            for (ConfigKey k : ConfigKey.ALL) values.put(k.name(), k.defaultValue());
        }

        /** Values from a run file (YAML); unknown keys and wrong types are errors naming the key and the file. */
        public Builder load(Path runFile) throws org.neurite.models.data.InputDataException {
            RunConfigYaml.read(runFile).forEach((key, setting) -> set(key, setting.value(), setting.origin()));
            return this;
        }

        /**
         * Sets {@code key} to {@code value} (boxed: Integer, Long, Double, Boolean, String, Path;
         * a Path may also come as a String, an integer for a LONG or DOUBLE key is widened).
         * {@code origin} names where it came from, for messages.
         */
        public Builder set(String key, Object value, String origin) {
            ConfigKey k = ConfigKey.byName(key);
            if (k == null) throw new ConfigException(origin + ": unknown setting '" + key + "'");
            values.put(key, coerce(k, value, origin));
            origins.put(key, origin);
            return this;
        }

        /** Checks every value's range and the combinations; errors name the value's origin. */
        public RunConfig build() {
            RunConfig c = new RunConfig(values, origins);
            positive(c, "epochs", c.epochs());
            positive(c, "batch", c.batch());
            if (c.lr() != null && !(c.lr() > 0 && Double.isFinite(c.lr()))) fail(c, "lr", "must be a positive number, got " + c.lr());
            if (!(c.momentum() >= 0 && c.momentum() < 1)) fail(c, "momentum", "must be in [0, 1), got " + c.momentum());
            if (!c.optimizer().equals("sgd") && !c.optimizer().equals("adam")) {
                fail(c, "optimizer", "unknown optimizer '" + c.optimizer() + "' (expected sgd or adam)");
            }
            if (!Schedules.isValid(c.schedule())) {
                fail(c, "schedule", "cannot read '" + c.schedule() + "' (expected none, cosine or step:EPOCHS:GAMMA, e.g. step:2:0.5)");
            }
            if (c.threads() != null) positive(c, "threads", c.threads());
            if (!(c.valSplit() >= 0 && c.valSplit() < 1)) fail(c, "val-split", "must be in [0, 1), got " + c.valSplit());
            notNegative(c, "early-stop-patience", c.earlyStopPatience());
            if (!c.earlyStopMetric().equals("val_loss") && !c.earlyStopMetric().equals("val_accuracy")) {
                fail(c, "early-stop-metric", "must be val_loss or val_accuracy, got '" + c.earlyStopMetric() + "'");
            }
            if (c.earlyStopPatience() > 0 && c.valSplit() == 0) {
                fail(c, "early-stop-patience", "needs a validation set: add --val-split (e.g. 0.1)");
            }
            notNegative(c, "checkpoint-every", c.checkpointEvery());
            notNegative(c, "keep-last", c.keepLast());
            notNegative(c, "log-every", c.logEvery());
            notNegative(c, "max-steps", c.maxSteps());
            notNegative(c, "limit-train", c.limitTrain());
            return c;
        }

        private static void positive(RunConfig c, String key, long v) {
            if (v <= 0) fail(c, key, "must be positive, got " + v);
        }

        private static void notNegative(RunConfig c, String key, long v) {
            if (v < 0) fail(c, key, "must be 0 or more, got " + v);
        }

        private static void fail(RunConfig c, String key, String problem) {
            String origin = c.origin(key);
            String where = origin.equals("default") ? key : origin.startsWith("--") ? origin : origin + ": " + key;
            throw new ConfigException(where + ": " + problem);
        }

        private static Object coerce(ConfigKey k, Object v, String origin) {
            if (v == null) {
                if (k.nullable()) return null;
                throw new ConfigException(origin + ": '" + k.name() + "' cannot be null (it must be " + k.type().what() + ")");
            }
            Object out = switch (k.type()) {
                case STRING -> v instanceof String ? v : null;
                case PATH -> v instanceof Path ? v : v instanceof String s ? Path.of(s) : null;
                case INT -> v instanceof Integer ? v : v instanceof Long l && l == l.intValue() ? (Object) l.intValue() : null;
                case LONG -> v instanceof Long ? v : v instanceof Integer i ? (Object) i.longValue() : null;
                case DOUBLE -> v instanceof Double ? v : v instanceof Number n && !(v instanceof Float) ? (Object) n.doubleValue() : null;
                case BOOL -> v instanceof Boolean ? v : null;
            };
            if (out == null) {
                throw new ConfigException(origin + ": '" + k.name() + "' must be " + k.type().what() + ", got "
                        + RunConfigYaml.describe(v));
            }
            return out;
        }
    }
}
