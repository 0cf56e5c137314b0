package org.neurite.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Device selection over a supplied probe answer: the contract of {@code --device}. */
class DevicesTest {
    private static final CudaProbe.Result NO_DRIVER =
            new CudaProbe.Result(false, "no NVIDIA driver (cudaGetDeviceCount: cudaErrorInsufficientDriver)", 0);
    private static final CudaProbe.Result TWO_GPUS = new CudaProbe.Result(true, "2 CUDA devices, cuBLAS and cuDNN ready", 2);
    private static final Supplier<CudaProbe.Result> MUST_NOT_PROBE = () -> {
        throw new AssertionError("probed");
    };

    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    private String log() { return logBytes.toString(StandardCharsets.UTF_8); }

    @Test void cpuNeverProbes() {
        assertSame(Device.CPU, Devices.select("cpu", log, MUST_NOT_PROBE));
        assertSame(Device.CPU, Devices.select(" CPU ", log, MUST_NOT_PROBE));
        assertEquals("", log());
    }

    @Test void autoFallsBackWithOneLineSayingWhy() {
        assertSame(Device.CPU, Devices.select("auto", log, () -> NO_DRIVER));
        assertSame(Device.CPU, Devices.select(null, log, () -> NO_DRIVER));
        String first = log().lines().findFirst().orElseThrow();
        assertEquals("device: running on CPU (" + Parallel.threads() + " threads): " + NO_DRIVER.reason(), first);
        assertEquals(2, log().lines().count());
    }

    @Test void explicitCudaFailsWithTheProbeReason() {
        DeviceException e = assertThrows(DeviceException.class, () -> Devices.select("cuda", log, () -> NO_DRIVER));
        assertEquals("--device cuda: CUDA is not usable: " + NO_DRIVER.reason(), e.getMessage());
        e = assertThrows(DeviceException.class, () -> Devices.select("cuda:1", log, () -> NO_DRIVER));
        assertEquals("--device cuda:1: CUDA is not usable: " + NO_DRIVER.reason(), e.getMessage());
        assertEquals("", log());
    }

    @Test void indexOutOfRange() {
        DeviceException e = assertThrows(DeviceException.class, () -> Devices.select("cuda:2", log, () -> TWO_GPUS));
        assertEquals("--device cuda:2: no such CUDA device; this machine has 2 (cuda:0 to cuda:1)", e.getMessage());
        e = assertThrows(DeviceException.class, () -> Devices.select("cuda:99999999999", log, () -> TWO_GPUS));
        assertTrue(e.getMessage().contains("no such CUDA device"), e.getMessage());
    }

    @Test void usableCudaOpensTheSharedDeviceOfTheIndex() {
        String[] specs = {"auto", "cuda", "cuda:1", "CUDA:0"};
        int[] expected = {0, 0, 1, 0};
        for (int k = 0; k < specs.length; k++) {
            int[] opened = {-1};
            Device fake = new FakeDevice();
            Device d = Devices.select(specs[k], log, () -> TWO_GPUS, i -> {
                opened[0] = i;
                return fake;
            });
            assertSame(fake, d, specs[k]);
            assertEquals(expected[k], opened[0], specs[k]);
        }
        assertEquals("", log(), "no fallback line when CUDA is used");
    }

    private static final class FakeDevice implements Device {
        @Override public Kind kind() { return Kind.CUDA; }
        @Override public String name() { return "fake:0"; }
    }

    @Test void unknownSpecNamesTheFlag() {
        for (String spec : new String[] {"gpu", "cuda:", "cuda:-1", "cuda0", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Devices.select(spec, log, MUST_NOT_PROBE));
            assertTrue(e.getMessage().startsWith("--device: unknown device '" + spec + "'"), e.getMessage());
        }
    }
}
