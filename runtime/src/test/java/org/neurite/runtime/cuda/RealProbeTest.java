package org.neurite.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.neurite.runtime.CudaProbe;
import org.neurite.runtime.Device;
import org.neurite.runtime.Devices;
import org.neurite.runtime.Tensor;

/** The real probe on this machine, and proof that the CPU path never loads JCuda. */
class RealProbeTest {
    private static boolean driverPresent() {
        return Files.exists(Path.of("/proc/driver/nvidia"));
    }

    @Test void withoutADriverTheProbeSaysSoInOneLine() {
        CudaProbe.Result r = CudaProbe.probe();
        System.out.println("CUDA probe on this machine: usable=" + r.usable() + ": " + r.reason());
        Assumptions.assumeFalse(r.usable(), "a usable GPU is present; this test is for machines without one");
        Assumptions.assumeFalse(driverPresent(), "an NVIDIA driver is present (/proc/driver/nvidia); reason was: " + r.reason());
        assertEquals("no NVIDIA driver (cudaGetDeviceCount: cudaErrorInsufficientDriver)", r.reason());
        assertEquals(0, r.deviceCount());
        assertSame(r, CudaProbe.probe(), "the probe runs once and remembers its answer");
    }

    @Test void deviceInfoWithoutCudaGivesTheReasonAndCpuThreads() {
        CudaProbe.Result r = CudaProbe.probe();
        Assumptions.assumeFalse(r.usable(), "a usable GPU is present");
        DeviceInfo info = DeviceInfo.query();
        assertFalse(info.cudaUsable());
        assertEquals(r.reason(), info.reason());
        assertTrue(info.gpus().isEmpty());
        assertEquals("cuda: not usable: " + r.reason(), info.lines().get(1));
    }

    /** Runs in a fresh JVM: selecting the CPU and computing on it loads no JCuda class at all. */
    @Test void cpuPathLoadsNoJCudaClass() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xshare:off", "-verbose:class",
                "-cp", System.getProperty("java.class.path"), CpuOnlyMain.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("cpu-path-ok"), out);
        assertTrue(out.contains("org.neurite.runtime.Devices"), "class logging did not work");
        List<String> jcuda = out.lines().filter(l -> l.contains(" jcuda.")).toList();
        assertEquals(List.of(), jcuda, "the CPU path loaded JCuda classes");
    }

    /** What the child JVM runs. */
    static final class CpuOnlyMain {
        public static void main(String[] args) {
            Device d = Devices.select("cpu", System.out);
            Tensor t = Tensor.zeros(2, 3);
            t.fill(1f);
            if (d != Device.CPU || t.get(5) != 1f) throw new AssertionError("cpu path broken");
            System.out.println("cpu-path-ok");
        }
    }
}
