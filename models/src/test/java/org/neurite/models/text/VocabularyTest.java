package org.neurite.models.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.models.data.InputDataException;

class VocabularyTest {
    static final Path SAMPLE = Path.of("..", "src-test-data", "text", "fortunes-sample.txt");

    @TempDir Path tmp;

    @Test void charactersAreCodePointsInSortedOrder() {
        // 'é' (U+00E9) and an emoji outside the BMP (a surrogate pair in Java strings).
        Vocabulary v = Vocabulary.characters("bé a😀b");
        assertEquals(List.of(" ", "a", "b", "é", "😀"), v.tokens());
        assertArrayEquals(new int[] {2, 3, 0, 1, 4, 2}, v.encode("bé a😀b"));
        assertEquals("a😀é", v.decode(new int[] {1, 4, 3}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.encode("abc"));
        assertTrue(e.getMessage().contains("U+0063"), e.getMessage());
    }

    @Test void roundTripsThroughJson() throws Exception {
        Vocabulary v = Vocabulary.characters("x\n\t\"é😀\\");
        Path f = tmp.resolve("vocabulary.json");
        v.save(f);
        assertTrue(Files.readString(f, StandardCharsets.UTF_8).contains("\"kind\" : \"char\""));
        assertEquals(v, Vocabulary.load(f));
        Vocabulary w = Vocabulary.words("the cat  saw\nthe dog");
        w.save(f);
        Vocabulary back = Vocabulary.load(f);
        assertEquals(w, back);
        assertEquals(List.of("<unk>", "cat", "dog", "saw", "the"), back.tokens());
        assertArrayEquals(new int[] {4, 0, 2}, back.encode(" the bird dog "));
        assertEquals("the <unk> dog", back.decode(new int[] {4, 0, 2}));
    }

    @Test void loadNamesTheFileOfABadVocabulary() throws Exception {
        Path f = tmp.resolve("bad.json");
        Files.writeString(f, "{\"kind\": \"char\", \"tokens\": [\"ab\"]}");
        InputDataException e = assertThrows(InputDataException.class, () -> Vocabulary.load(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }

    @Test void theBundledSampleHas92Characters() throws Exception {
        TextCorpus c = TextCorpus.characters(SAMPLE);
        assertEquals(99_105, c.length());
        assertEquals(92, c.vocabulary().size());
        assertEquals("\t", c.vocabulary().token(0)); // sorted by code point: tab, newline, space, ...
        assertEquals("\n", c.vocabulary().token(1));
        assertEquals(" ", c.vocabulary().token(2));
    }

    @Test void malformedUtf8IsAnErrorAtItsOffset() throws Exception {
        Path f = tmp.resolve("bad.txt");
        Files.write(f, new byte[] {'a', 'b', (byte) 0xC3, 'c'});
        InputDataException e = assertThrows(InputDataException.class, () -> TextCorpus.characters(f));
        assertTrue(e.getMessage().contains("at byte 2"), e.getMessage());
    }
}
