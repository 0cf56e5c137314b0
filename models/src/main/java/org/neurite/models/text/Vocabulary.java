package org.neurite.models.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.neurite.models.checkpoint.AtomicFiles;
import org.neurite.models.data.InputDataException;

/**
 * Tokens and their ids: characters (Unicode code points) or words, in a stable order (sorted by
 * code point, so the same corpus always gives the same ids). A word vocabulary splits on
 * whitespace and puts {@code <unk>} at id 0 for words it has not seen; a character vocabulary has
 * no unknown token, and encoding a character it lacks is an error.
 *
 * <p>Saved as JSON (UTF-8) beside a model: {@code {"kind": "char", "tokens": ["\n", " ", "!", ...]}}.
 * <pre>{@code
 * Vocabulary v = Vocabulary.characters(text);     // 97 tokens for the fortunes corpus
 * int[] ids = v.encode("Hello");
 * String s = v.decode(ids);
 * v.save(runDir.resolve("vocabulary.json"));
 * }</pre>
 */
public final class Vocabulary {
    /** Characters or whitespace-separated words. */
    public enum Kind { CHAR, WORD }

    /** The unknown-word token of word vocabularies, id 0. */
    public static final String UNKNOWN = "<unk>";
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The JSON form. */
    record Stored(String kind, List<String> tokens) { }

    private final Kind kind;
    private final List<String> tokens;
    private final Map<String, Integer> ids = new HashMap<>();
    private final Map<Integer, Integer> codePointIds = new HashMap<>();

    private Vocabulary(Kind kind, List<String> tokens) {
        this.kind = kind;
        this.tokens = Collections.unmodifiableList(new ArrayList<>(tokens));
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (ids.put(t, i) != null) throw new IllegalArgumentException("vocabulary: token '" + t + "' appears twice");
            if (kind == Kind.CHAR) {
                if (t.codePointCount(0, t.length()) != 1) throw new IllegalArgumentException("character vocabulary: '" + t + "' is not one character");
                codePointIds.put(t.codePointAt(0), i);
            }
        }
        if (kind == Kind.WORD && !UNKNOWN.equals(tokens.isEmpty() ? null : tokens.get(0))) {
            throw new IllegalArgumentException("word vocabulary: id 0 must be " + UNKNOWN);
        }
    }

    /** The distinct code points of {@code text}, sorted. */
    public static Vocabulary characters(String text) {
        TreeSet<Integer> cps = new TreeSet<>();
        text.codePoints().forEach(cps::add);
        List<String> t = new ArrayList<>();
        for (int cp : cps) t.add(new String(Character.toChars(cp)));
        return new Vocabulary(Kind.CHAR, t);
    }

    /** {@code <unk>}, then the distinct whitespace-separated words of {@code text}, sorted. */
    public static Vocabulary words(String text) {
        TreeSet<String> w = new TreeSet<>();
        for (String s : WHITESPACE.split(text.strip())) if (!s.isEmpty()) w.add(s);
        w.remove(UNKNOWN);
        List<String> t = new ArrayList<>();
        t.add(UNKNOWN);
        t.addAll(w);
        return new Vocabulary(Kind.WORD, t);
    }

    public Kind kind() { return kind; }

    public int size() { return tokens.size(); }

    public String token(int id) { return tokens.get(id); }

    public List<String> tokens() { return tokens; }

    /** Id of a token, or -1. */
    public int id(String token) { return ids.getOrDefault(token, -1); }

    /** The ids of {@code text}: one per code point (CHAR) or per word (WORD, unknown words as 0). */
    public int[] encode(String text) {
        if (kind == Kind.CHAR) {
            int[] cps = text.codePoints().toArray();
            int[] out = new int[cps.length];
            for (int i = 0; i < cps.length; i++) {
                Integer id = codePointIds.get(cps[i]);
                if (id == null) {
                    throw new IllegalArgumentException("character U+" + String.format("%04X", cps[i]) + " at position " + i + " is not in the vocabulary");
                }
                out[i] = id;
            }
            return out;
        }
        String s = text.strip();
        if (s.isEmpty()) return new int[0];
        String[] w = WHITESPACE.split(s);
        int[] out = new int[w.length];
        for (int i = 0; i < w.length; i++) out[i] = Math.max(0, id(w[i]));
        return out;
    }

    /** The text of {@code ids}: characters joined, or words joined by single spaces. */
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            if (kind == Kind.WORD && i > 0) sb.append(' ');
            sb.append(tokens.get(ids[i]));
        }
        return sb.toString();
    }

    /** Writes the JSON form atomically. */
    public void save(Path file) throws IOException {
        byte[] bytes = JSON.writeValueAsString(new Stored(kind.name().toLowerCase(java.util.Locale.ROOT), tokens)).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** Reads a vocabulary written by {@link #save}. */
    public static Vocabulary load(Path file) throws InputDataException {
        Stored s;
        try {
            s = JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), Stored.class);
        } catch (IOException e) {
            if (!Files.exists(file)) throw InputDataException.in(file.toString(), "no such file");
            throw InputDataException.in(file.toString(), "not a vocabulary: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (s.kind() == null || s.tokens() == null || s.tokens().isEmpty()) throw InputDataException.in(file.toString(), "not a vocabulary: kind and tokens required");
        try {
            return new Vocabulary(Kind.valueOf(s.kind().toUpperCase(java.util.Locale.ROOT)), s.tokens());
        } catch (IllegalArgumentException e) {
            throw InputDataException.in(file.toString(), e.getMessage());
        }
    }

    @Override public boolean equals(Object o) {
        return o instanceof Vocabulary v && v.kind == kind && v.tokens.equals(tokens);
    }

    @Override public int hashCode() { return kind.hashCode() * 31 + tokens.hashCode(); }
}
