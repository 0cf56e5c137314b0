package org.neurite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.runtime.CudaProbe;
import org.neurite.runtime.Parallel;

/**
 * Where no GPU is usable (skipped where one is): {@code neurite devices} says why and that the CPU
 * engine runs; {@code train --device auto} prints one line saying why and trains on the CPU.
 */
class DeviceCommandsTest {
    @TempDir Path tmp;

    private static CudaProbe.Result noGpu() {
        CudaProbe.Result r = CudaProbe.probe();
        Assumptions.assumeFalse(r.usable(), "a GPU is usable here");
        return r;
    }

    @Test void devicesSaysWhyNoGpuIsUsableAndThatTheCpuRuns() {
        CudaProbe.Result probe = noGpu();
        CliErrorsTest.Run r = CliErrorsTest.neurite("devices");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("cpu: " + Parallel.threads() + " threads", "cuda: not usable: " + probe.reason()), r.out().lines().toList());
        assertEquals("", r.err());
    }

    @Test void autoPrintsOneLineAndTrainsOnTheCpu() throws Exception {
        CudaProbe.Result probe = noGpu();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream old = System.err;
        CliErrorsTest.Run r;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            r = CliErrorsTest.neurite("train", "--out", tmp.resolve("run").toString(), "--device", "auto", "--limit-train", "64",
                    "--batch", "16", "--threads", "2", "--quiet", "--max-steps", "2", "--seed", "5");
        } finally {
            System.setErr(old);
        }
        assertEquals(0, r.code(), r.err() + r.out());
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("device:")).toList();
        assertEquals(1, lines.size(), captured.toString(StandardCharsets.UTF_8));
        assertTrue(lines.get(0).startsWith("device: running on CPU (") && lines.get(0).endsWith("): " + probe.reason()), lines.get(0));
        assertTrue(TrainRunTest.weights(tmp.resolve("run")).toFile().isFile(), "a checkpoint was written");
    }
}
