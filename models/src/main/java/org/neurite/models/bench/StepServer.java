package org.neurite.models.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.layers.loss.SoftmaxCrossEntropy;
import org.neurite.layers.optim.Optimizer;
import org.neurite.layers.optim.Sgd;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.gemm.GemmBenchmark;

/**
 * Runs pieces of W4 and W5 on request, one JVM kept warm, so that another process can alternate
 * with it: {@code scripts/paired-pytorch.py} runs PyTorch's steps in between and compares turn by
 * turn. On the shared 2-core machines the speed of both drifts by 1.5x within minutes, so only
 * ratios of turns taken seconds apart mean anything; two separate runs of a minute each do not.
 * <p>
 * One command per line on standard input, one answer per line on standard output:
 * <pre>
 *   W4 steps            -> seconds the W4 training steps took (model and batch as W4ResNet20)
 *   W5 n threads        -> GFLOP/s of W5 at size n on that many threads (median of 10, GemmBenchmark)
 * </pre>
 * It prints {@code ready} once the W4 model is built and warmed up, and {@code error: ...} for a
 * line it cannot run. {@code java -cp neurite.jar org.neurite.models.bench.StepServer}
 */
public final class StepServer {
    private static final int WARMUP_STEPS = 5;

    final Module model;     // package-private: the tests check that a W4 command trains it
    private final Optimizer optimizer;
    private final SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
    private final Tensor[] batch;

    StepServer(long seed) {
        model = W4ResNet20.model(seed);
        model.setNeedsInputGrad(false);
        optimizer = new Sgd(model.params(), Sgd.Config.of(0.1).withMomentum(0.9).withWeightDecay(1e-4));
        batch = W4ResNet20.batch(seed);
    }

    /** Seconds that {@code steps} W4 training steps take. */
    double w4Seconds(int steps) {
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            loss.forward(model.forward(batch[0], Mode.TRAIN), batch[1]);
            model.zeroGrad();
            model.backward(loss.backward());
            optimizer.step();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Answers each command line of {@code in} on {@code out} until the input ends. */
    void serve(Reader in, PrintStream out) throws IOException {
        BufferedReader lines = new BufferedReader(in);
        String line;
        while ((line = lines.readLine()) != null) {
            out.println(answer(line.trim()));
            out.flush();
        }
    }

    String answer(String command) {
        String[] w = command.split("\\s+");
        try {
            if (w[0].equals("W4") && w.length == 2) {
                int steps = Integer.parseInt(w[1]);
                if (steps < 1) return "error: W4 needs at least one step, got " + steps;
                return String.format(Locale.ROOT, "%.6f", w4Seconds(steps));
            }
            if (w[0].equals("W5") && w.length == 3) {
                int n = Integer.parseInt(w[1]), threads = Integer.parseInt(w[2]);
                if (n < 1 || threads < 1) return "error: W5 needs n >= 1 and threads >= 1, got " + command;
                return String.format(Locale.ROOT, "%.3f", GemmBenchmark.gflops(n, threads));
            }
        } catch (NumberFormatException e) {
            return "error: not a number in '" + command + "'";
        }
        return "error: unknown command '" + command + "' (expected 'W4 steps' or 'W5 n threads')";
    }

    public static void main(String[] args) throws IOException {
        StepServer server = new StepServer(42);
        server.w4Seconds(WARMUP_STEPS);
        GemmBenchmark.warmUp();
        System.out.println("ready");
        System.out.flush();
        server.serve(new InputStreamReader(System.in, StandardCharsets.UTF_8), System.out);
    }
}
