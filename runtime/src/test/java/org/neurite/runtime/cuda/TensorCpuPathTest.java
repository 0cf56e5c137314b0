package org.neurite.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.neurite.runtime.Device;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/** Every Tensor method the device work added, used on the CPU in a fresh JVM, loads no JCuda class. */
class TensorCpuPathTest {
    @Test void deviceAwareTensorMethodsOnTheCpuLoadNoJCudaClass() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xshare:off", "-verbose:class",
                "-cp", System.getProperty("java.class.path"), Main.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("tensor-cpu-path-ok"), out);
        assertTrue(out.contains("org.neurite.runtime.Tensor "), "class logging did not work");
        List<String> jcuda = out.lines().filter(l -> l.contains(" jcuda.")).toList();
        assertEquals(List.of(), jcuda, "the CPU path loaded JCuda classes");
    }

    /** What the child JVM runs. */
    static final class Main {
        public static void main(String[] args) {
            Tensor t = Tensor.zeros(Shape.of(2, 3), Device.CPU);
            t.fill(2f);
            Tensor u = t.toDevice(Device.CPU).toCpu().reshape(Shape.of(6)).copy();
            Tensor v = Tensor.zeros(6);
            v.copyFrom(u);
            t.close();
            u.close();
            if (v.get(5) != 2f || v.size() != 6) throw new AssertionError("cpu path broken");
            System.out.println("tensor-cpu-path-ok");
        }
    }
}
