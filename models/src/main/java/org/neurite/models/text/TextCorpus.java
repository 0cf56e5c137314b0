package org.neurite.models.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.neurite.models.data.InputDataException;

/**
 * A text read as UTF-8 and encoded with a {@link Vocabulary}: the ids language models train on.
 * <pre>{@code
 * TextCorpus c = TextCorpus.characters(Path.of("fortunes-corpus.txt"));   // vocabulary from the text
 * TextCorpus same = TextCorpus.read(file, savedVocabulary);               // a given vocabulary
 * }</pre>
 */
public final class TextCorpus {
    private final String source;
    private final Vocabulary vocabulary;
    private final int[] ids;

    public TextCorpus(String source, Vocabulary vocabulary, int[] ids) {
        this.source = source;
        this.vocabulary = vocabulary;
        this.ids = ids;
    }

    /** The file's text with its own character vocabulary. */
    public static TextCorpus characters(Path file) throws InputDataException {
        String text = readUtf8(file);
        Vocabulary v = Vocabulary.characters(text);
        return new TextCorpus(file.toString(), v, v.encode(text));
    }

    /** The file's text encoded with {@code vocabulary} (a character it lacks is an error). */
    public static TextCorpus read(Path file, Vocabulary vocabulary) throws InputDataException {
        String text = readUtf8(file);
        try {
            return new TextCorpus(file.toString(), vocabulary, vocabulary.encode(text));
        } catch (IllegalArgumentException e) {
            throw InputDataException.in(file.toString(), e.getMessage());
        }
    }

    /** The whole file as text; malformed UTF-8 is an error naming the byte offset. */
    public static String readUtf8(Path file) throws InputDataException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw InputDataException.in(file.toString(), "no such file");
        } catch (IOException e) {
            throw InputDataException.in(file.toString(), "cannot read: " + e.getMessage());
        }
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            return dec.decode(in).toString();
        } catch (MalformedInputException e) {
            throw InputDataException.at(file.toString(), in.position(), "not valid UTF-8");
        } catch (CharacterCodingException e) {
            throw InputDataException.at(file.toString(), in.position(), "not valid UTF-8: " + e.getMessage());
        }
    }

    public String source() { return source; }

    public Vocabulary vocabulary() { return vocabulary; }

    /** The token ids, not copied. */
    public int[] ids() { return ids; }

    public int length() { return ids.length; }
}
