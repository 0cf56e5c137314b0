package org.neurite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.neurite.runtime.CudaProbe;
import picocli.CommandLine;

/** {@code neurite selftest}: the CPU mode trains and checks, the GPU mode says why it cannot run. */
class SelftestCommandTest {
    private static CliErrorsTest.Run selftest(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // Run as its own command: Neurite registers it (the integrator adds it to the subcommands).
        CommandLine cmd = new CommandLine(new SelftestCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        cmd.setExecutionExceptionHandler((ex, c, parse) -> {
            c.getErr().println("neurite: " + ex.getMessage());
            return Neurite.exitCodeOf(ex);
        });
        int code = cmd.execute(args);
        return new CliErrorsTest.Run(code, out.toString(), err.toString());
    }

    @Test void cpuModeTrainsLeNet5AndTheLossFalls() {
        CliErrorsTest.Run r = selftest("--device", "cpu", "--steps", "60");
        assertEquals(0, r.code(), r.out() + r.err());
        Matcher m = Pattern.compile("LeNet-5 on cpu, 60 steps: mean loss of the first 6 steps (\\d+\\.\\d+), of the last 6 (\\d+\\.\\d+)  ok")
                .matcher(r.out());
        assertTrue(m.find(), r.out());
        double first = Double.parseDouble(m.group(1)), last = Double.parseDouble(m.group(2));
        // Ten classes from a fresh init: the first losses are near ln 10 = 2.303.
        assertEquals(Math.log(10), first, 0.15, r.out());
        assertTrue(last < 0.7 * first, r.out());
        assertTrue(r.out().contains("selftest on cpu: passed"), r.out());
        assertEquals("", r.err());
    }

    @Test void withoutAGpuItSaysWhyInOneLineAndExits3() {
        CudaProbe.Result probe = CudaProbe.probe();
        org.junit.jupiter.api.Assumptions.assumeFalse(probe.usable(), "a GPU is usable here");
        for (String dev : new String[] {"cuda", "cuda:1", "auto"}) {
            CliErrorsTest.Run r = selftest("--device", dev, "--steps", "10");
            assertEquals(3, r.code(), r.err());
            assertEquals("selftest: no usable GPU: " + probe.reason(), r.err().strip());
            assertEquals("", r.out());
        }
    }

    @Test void helpHasExamplesWithin80Columns() {
        CliErrorsTest.Run r = selftest("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("Examples:") && r.out().contains("--steps"), r.out());
        r.out().lines().forEach(line -> assertTrue(line.length() <= 80, "line of " + line.length() + " columns: " + line));
    }

    @Test void badArgumentsAreUsageErrors() {
        CliErrorsTest.Run r = selftest("--device", "gpu");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown device 'gpu'"), r.err());
        r = selftest("--device", "cpu", "--steps", "3");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--steps must be at least 10"), r.err());
    }
}
