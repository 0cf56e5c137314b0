package org.neurite.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.layers.Module;
import org.neurite.models.torch.TorchSafeTensors;
import org.neurite.models.torch.TorchStateDict;
import org.neurite.models.zoo.ModelZoo;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;
import picocli.CommandLine;

/**
 * import-torch and export-torch as the user runs them (through Neurite's exit codes and one-line
 * errors), with evaluate between: a state_dict imported, evaluated and exported back unchanged.
 */
class TorchCommandsTest {
    @TempDir Path tmp;

    record Run(int code, String out, String err) { }

    /** Runs a command object as Neurite.run does for registered subcommands. */
    static Run run(Object command, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cmd = new CommandLine(command);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        cmd.setExecutionExceptionHandler((ex, c, p) -> {
            c.getErr().println("neurite: " + ex.getMessage());
            return Neurite.exitCodeOf(ex);
        });
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test void importEvaluateExport() throws Exception {
        Module lenet = ModelZoo.get("lenet5").build(new Rng(4));
        Map<String, Tensor> sd = TorchStateDict.floats(lenet);
        Path in = tmp.resolve("lenet5.safetensors");
        TorchSafeTensors.write(in, sd, Map.of(), Map.of());

        Run imp = run(new ImportTorchCommand(), in.toString(), "--model", "lenet5", "--out", tmp.resolve("run").toString());
        assertEquals(0, imp.code(), imp.err());
        assertTrue(imp.out().startsWith("imported " + in + " as lenet5 into "), imp.out());

        CliErrorsTest.Run eval = CliErrorsTest.neurite("evaluate", "--run", tmp.resolve("run").toString());
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("accuracy "), eval.out());

        Path out = tmp.resolve("back.safetensors");
        Run exp = run(new ExportTorchCommand(), "--run", tmp.resolve("run").toString(), "--out", out.toString());
        assertEquals(0, exp.code(), exp.err());
        assertEquals("exported lenet5 (10 tensors, 0 batch-norm counters) to " + out + "\n", exp.out().replace("\r", ""));
        TorchSafeTensors.Contents back = TorchSafeTensors.read(out);
        for (var e : sd.entrySet()) assertArrayEquals(e.getValue().data(), back.floats().get(e.getKey()).data(), e.getKey());
    }

    @Test void errorsAreOneLineWithExitCode2() throws Exception {
        Path in = tmp.resolve("lenet5.safetensors");
        TorchSafeTensors.write(in, TorchStateDict.floats(ModelZoo.get("lenet5").build(new Rng(4))), Map.of(), Map.of());
        Run wrongModel = run(new ImportTorchCommand(), in.toString(), "--model", "resnet20", "--out", tmp.resolve("r").toString());
        assertEquals(2, wrongModel.code());
        assertTrue(wrongModel.err().matches("neurite: .*lenet5.safetensors: state_dict does not match the model: missing \\(\\d+\\): .*"
                + "unexpected \\(\\d+\\): .*mismatched \\(1\\): conv1.weight \\[6, 1, 5, 5\\] in file, \\[16, 3, 3, 3\\] in model\n"), wrongModel.err());

        Run unknown = run(new ImportTorchCommand(), in.toString(), "--model", "nope", "--out", tmp.resolve("r").toString());
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("neurite: unknown model 'nope' (known: lenet5, "), unknown.err());

        Run noRun = run(new ExportTorchCommand(), "--run", tmp.resolve("none").toString(), "--out", tmp.resolve("x.safetensors").toString());
        assertEquals(2, noRun.code());
        assertTrue(noRun.err().contains("--run: no such run directory"), noRun.err());
    }
}
