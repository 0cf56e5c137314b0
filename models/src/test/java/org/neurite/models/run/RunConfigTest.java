package org.neurite.models.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run files: defaults, file, flags in that order; round trips; errors that name key, file and line. */
class RunConfigTest {
    @TempDir Path tmp;

    private Path file(String name, String yaml) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, yaml);
        return p;
    }

    @Test void defaultsThenFileThenFlags() throws Exception {
        Path f = file("run.yaml", "epochs: 3\nbatch: 8\nlr: 0.05\nval-split: 0.25\nquiet: true\n");
        RunConfig c = RunConfig.builder().load(f).set("epochs", 4, "--epochs").build();
        assertEquals(4, c.epochs());                   // the flag wins
        assertEquals(8, c.batch());                    // from the file
        assertEquals(0.05, c.lr());
        assertEquals(0.25, c.valSplit());
        assertTrue(c.quiet());
        assertEquals("sgd", c.optimizer());            // default
        assertEquals(42L, c.seed());
        assertNull(c.data());
        assertEquals("--epochs", c.origin("epochs"));
        assertEquals(f + " line 2", c.origin("batch"));
        assertEquals("default", c.origin("model"));
    }

    @Test void writtenConfigReadsBackEqual() throws Exception {
        RunConfig c = RunConfig.builder().set("epochs", 7, "--epochs").set("lr", 1e-3, "--lr").set("data", tmp, "--data")
                .set("schedule", "step:2:0.5", "--schedule").set("max-steps", 123L, "--max-steps").set("skip-nonfinite", true, "x")
                .set("out", tmp.resolve("run"), "--out").build();
        Path yaml = tmp.resolve("config.yaml");
        RunConfigYaml.write(yaml, c);
        RunConfig back = RunConfig.builder().load(yaml).build();
        assertEquals(c.values(), back.values());
        assertEquals(1e-3, back.lr());
        assertEquals(123L, back.maxSteps());
        String text = Files.readString(yaml);
        assertTrue(text.contains("\nepochs: 7\n"), text);
        assertTrue(text.contains("\nschedule: step:2:0.5\n"), text);
    }

    @Test void wrongTypeNamesKeyFileAndLine() throws Exception {
        Path f = file("bad.yaml", "model: lenet5\nepochs: five\n");
        ConfigException e = assertThrows(ConfigException.class, () -> RunConfig.builder().load(f));
        assertEquals(f + " line 2: 'epochs' must be an integer, got the text \"five\"", e.getMessage());

        Path g = file("bad2.yaml", "lr: [0.1, 0.2]\n");
        e = assertThrows(ConfigException.class, () -> RunConfig.builder().load(g));
        assertEquals(g + " line 1: 'lr' must be a number, got a list", e.getMessage());

        Path h = file("bad3.yaml", "quiet: 1\n");
        e = assertThrows(ConfigException.class, () -> RunConfig.builder().load(h));
        assertTrue(e.getMessage().contains("'quiet' must be true or false, got the number 1"), e.getMessage());
    }

    @Test void unknownKeySuggestsTheNearOne() throws Exception {
        Path f = file("typo.yaml", "epochs: 2\nbatch-size: 64\n");
        ConfigException e = assertThrows(ConfigException.class, () -> RunConfig.builder().load(f));
        assertTrue(e.getMessage().startsWith(f + " line 2: unknown key 'batch-size'"), e.getMessage());
        Path g = file("typo2.yaml", "epoch: 2\n");
        e = assertThrows(ConfigException.class, () -> RunConfig.builder().load(g));
        assertTrue(e.getMessage().contains("did you mean 'epochs'?"), e.getMessage());
    }

    @Test void rangeErrorsNameTheOrigin() throws Exception {
        Path f = file("neg.yaml", "\nbatch: -4\n");
        ConfigException e = assertThrows(ConfigException.class, () -> RunConfig.builder().load(f).build());
        assertEquals(f + " line 2: batch: must be positive, got -4", e.getMessage());
        e = assertThrows(ConfigException.class, () -> RunConfig.builder().set("val-split", 1.5, "--val-split").build());
        assertEquals("--val-split: must be in [0, 1), got 1.5", e.getMessage());
        e = assertThrows(ConfigException.class, () -> RunConfig.builder().set("early-stop-patience", 2, "--early-stop-patience").build());
        assertTrue(e.getMessage().contains("needs a validation set"), e.getMessage());
    }

    @Test void notYamlMappingIsAnError() throws Exception {
        Path f = file("list.yaml", "- epochs\n- 3\n");
        var e = assertThrows(org.neurite.models.data.InputDataException.class, () -> RunConfig.builder().load(f));
        assertTrue(e.getMessage().contains("expected a mapping"), e.getMessage());
        Path g = file("dup.yaml", "epochs: 1\nepochs: 2\n");
        assertThrows(RuntimeException.class, () -> RunConfig.builder().load(g));
    }
}
