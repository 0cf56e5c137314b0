package org.neurite.models.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.runtime.cuda.CudnnOptions;

/** The {@code deterministic} setting: off by default, from a run file or a flag, into the device's cuDNN options. */
class DeterministicSettingTest {
    @TempDir Path tmp;

    @Test void offByDefaultOnFromARunFileOrAFlag() throws Exception {
        assertFalse(RunConfig.builder().build().deterministic());
        Path f = tmp.resolve("run.yaml");
        Files.writeString(f, "deterministic: true\n");
        RunConfig fromFile = RunConfig.builder().load(f).build();
        assertTrue(fromFile.deterministic());
        assertEquals(f + " line 1", fromFile.origin("deterministic"));
        assertFalse(RunConfig.builder().load(f).set("deterministic", false, "--deterministic").build().deterministic());
    }

    @Test void aWrongTypeNamesTheKey() throws Exception {
        Path f = tmp.resolve("bad.yaml");
        Files.writeString(f, "deterministic: yes please\n");
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> RunConfig.builder().load(f).build());
        assertTrue(e.getMessage().contains("'deterministic' must be true or false"), e.getMessage());
    }

    @Test void setsOnlyTheDeterminismOfTheDevicesOptions() {
        CudnnOptions current = CudnnOptions.DEFAULT.withBenchmark(true).withWorkspaceLimit(1 << 20);
        RunConfig on = RunConfig.builder().set("deterministic", true, "--deterministic").build();
        assertEquals(current.withDeterministic(true), TrainingRun.cudnnOptions(on, current));
        assertEquals(current, TrainingRun.cudnnOptions(RunConfig.builder().build(), current.withDeterministic(true)),
                "a run without it turns it off again on a shared device");
    }

    @Test void mayChangeWhenResuming() {
        // It changes how cuDNN picks algorithms, not what the run computes.
        assertTrue(TrainingRun.RESUMABLE_OVERRIDES.contains("deterministic"));
    }
}
