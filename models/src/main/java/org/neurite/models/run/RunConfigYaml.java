package org.neurite.models.run;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.neurite.models.checkpoint.AtomicFiles;
import org.neurite.models.data.InputDataException;

/**
 * Reads and writes run files: a flat YAML mapping whose keys are the flag names without dashes
 * ({@code epochs: 10}, {@code val-split: 0.1}, {@code lr: null}). Read with Jackson's streaming
 * YAML parser so every error carries the line of the offending key.
 */
public final class RunConfigYaml {
    /** A value read from a file and where: "run.yaml line 3". */
    public record Setting(Object value, String origin) { }

    private static final YAMLFactory YAML = new YAMLFactory();
    private static final YAMLMapper WRITER = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    private RunConfigYaml() { }

    /** The settings in {@code file}, by key, in file order. */
    public static Map<String, Setting> read(Path file) throws InputDataException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw InputDataException.in(file.toString(), "no such run file");
        } catch (IOException e) {
            throw InputDataException.in(file.toString(), "cannot read: " + e.getMessage());
        }
        Map<String, Setting> out = new LinkedHashMap<>();
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) return out; // an empty file sets nothing
            if (t != JsonToken.START_OBJECT) {
                throw InputDataException.in(file.toString(), "expected a mapping of settings (key: value lines), found " + describe(t, p));
            }
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                String where = file + " line " + p.currentTokenLocation().getLineNr();
                ConfigKey k = ConfigKey.byName(key);
                if (k == null) {
                    String near = ConfigKey.nearest(key);
                    throw new ConfigException(where + ": unknown key '" + key + "'"
                            + (near != null ? " (did you mean '" + near + "'?)" : " (keys are the train flags without --, e.g. epochs)"));
                }
                if (out.containsKey(key)) throw new ConfigException(where + ": '" + key + "' is set twice (first at " + out.get(key).origin() + ")");
                JsonToken v = p.nextToken();
                Object value = switch (v) {
                    case VALUE_NULL -> null;
                    case VALUE_TRUE -> Boolean.TRUE;
                    case VALUE_FALSE -> Boolean.FALSE;
                    case VALUE_STRING -> p.getText();
                    case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.INT ? (Object) p.getIntValue()
                            : p.getNumberType() == JsonParser.NumberType.LONG ? (Object) p.getLongValue() : p.getText();
                    case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
                    default -> {
                        String found = describe(v, p);
                        p.skipChildren();
                        throw new ConfigException(where + ": '" + key + "' must be " + k.type().what() + ", got " + found);
                    }
                };
                out.put(key, new Setting(value, where));
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw InputDataException.in(file.toString(), "line " + p.currentTokenLocation().getLineNr() + ": expected one mapping of settings");
            }
        } catch (JsonProcessingException e) {
            throw InputDataException.in(file.toString(), "line " + e.getLocation().getLineNr() + ": not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw InputDataException.in(file.toString(), "cannot read: " + e.getMessage());
        }
        return out;
    }

    /** Writes every value of {@code config} to {@code file} atomically, with a comment saying what it is. */
    public static void write(Path file, RunConfig config) throws IOException {
        Map<String, Object> plain = new LinkedHashMap<>();
        config.values().forEach((k, v) -> plain.put(k, v instanceof Path p ? p.toAbsolutePath().normalize().toString() : v));
        String text = "# The resolved settings of this run (defaults, run file and flags).\n"
                + "# `neurite train --resume RUN_DIR` continues with them; `neurite train --config FILE` reads such a file.\n"
                + WRITER.writeValueAsString(plain);
        AtomicFiles.writeString(file, text);
    }

    /** "an integer 5", "a string \"five\"", for messages. */
    static String describe(Object v) {
        if (v instanceof String s) return "the text \"" + s + "\"";
        if (v instanceof Boolean) return "the boolean " + v;
        if (v instanceof Number) return "the number " + v;
        return String.valueOf(v);
    }

    private static String describe(JsonToken t, JsonParser p) throws IOException {
        return switch (t) {
            case START_ARRAY -> "a list";
            case START_OBJECT -> "a mapping";
            default -> describe(p.getText());
        };
    }
}
