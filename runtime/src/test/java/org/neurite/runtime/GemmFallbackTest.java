package org.neurite.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A JVM started without {@code --add-modules jdk.incubator.vector} must still load {@link Blas},
 * pick the plain-Java engine and compute the right product (the Vector API class is never loaded).
 */
class GemmFallbackTest {
    /** Entry point of the child JVM: prints the engine and whether a product matched the reference. */
    public static void main(String[] args) {
        int m = 37, n = 41, k = 29;
        float[] a = GemmTest.random(m * k, 1);
        float[] b = GemmTest.random(k * n, 2);
        float[] c = new float[m * n];
        Blas.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        double worst = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double) a[i * k + p] * b[p * n + j];
                worst = Math.max(worst, Math.abs(s - c[i * n + j]));
            }
        }
        boolean vectorLoaded = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        System.out.println("engine=" + Blas.engine() + " vectorModule=" + vectorLoaded
                + " ok=" + (worst < 1e-4) + " worst=" + worst);
    }

    @Test
    void withoutTheVectorModuleBlasRunsThePlainJavaEngine() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                GemmFallbackTest.class.getName())).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("engine=scalar 4x4 vectorModule=false ok=true"), out);
    }
}
