package org.neurite.models.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.nio.file.Path;
import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.layers.Sequential;
import org.neurite.layers.loss.SoftmaxCrossEntropy;
import org.neurite.layers.optim.Adam;
import org.neurite.layers.optim.Optimizer;
import org.neurite.layers.optim.Sgd;
import org.neurite.layers.rnn.CellType;
import org.neurite.models.data.InputDataException;
import org.neurite.models.text.RandomWindows;
import org.neurite.models.text.TextCorpus;
import org.neurite.models.zoo.CharLm;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.gemm.GemmBenchmark;

/**
 * Runs pieces of W2-W5 on request, one JVM kept warm, so that another process can alternate
 * with it: {@code scripts/paired-pytorch.py} runs PyTorch's steps in between and compares turn by
 * turn. On the shared 2-core machines the speed of both drifts by 1.5x within minutes, so only
 * ratios of turns taken seconds apart mean anything; two separate runs of a minute each do not.
 * <p>
 * One command per line on standard input, one answer per line on standard output:
 * <pre>
 *   W2 steps, W3 steps  -> seconds the char-LSTM / char-GRU training steps took (as W2W3CharLm)
 *   W4 steps            -> seconds the W4 training steps took (model and batch as W4ResNet20)
 *   W5 n threads        -> GFLOP/s of W5 at size n on that many threads (median of 10, GemmBenchmark)
 * </pre>
 * It prints {@code ready} once the models are built and warmed up, and {@code error: ...} for a
 * line it cannot run. {@code java -cp neurite.jar org.neurite.models.bench.StepServer [text file]}:
 * W2 and W3 read the text file (their workloads are defined on shared/data/text/fortunes-corpus.txt;
 * default the bundled sample, whose smaller vocabulary makes smaller models).
 */
public final class StepServer {
    private static final int WARMUP_STEPS = 5;

    final Module model;     // package-private: the tests check that a W4 command trains it
    private final Optimizer optimizer;
    private final SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
    private final Tensor[] batch;
    final CharLmSteps lstm, gru;     // package-private, as model

    StepServer(long seed, TextCorpus text) {
        model = W4ResNet20.model(seed);
        model.setNeedsInputGrad(false);
        optimizer = new Sgd(model.params(), Sgd.Config.of(0.1).withMomentum(0.9).withWeightDecay(1e-4));
        batch = W4ResNet20.batch(seed);
        lstm = new CharLmSteps(CellType.LSTM, text, seed);
        gru = new CharLmSteps(CellType.GRU, text, seed);
    }

    /** W2's or W3's model, optimizer and windows (W2W3CharLm's), stepped on request. */
    static final class CharLmSteps {
        final Sequential model;
        private final Adam adam;
        private final SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        private final RandomWindows windows;

        CharLmSteps(CellType cell, TextCorpus text, long seed) {
            model = CharLm.build(cell, text.vocabulary().size(), W2W3CharLm.HIDDEN, 1, new Rng(seed));
            adam = new Adam(model.params(), 0.002);
            windows = new RandomWindows(text.ids(), W2W3CharLm.BATCH, W2W3CharLm.STEPS, new Rng(seed + 1));
        }

        double seconds(int steps) {
            long t0 = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                windows.next();
                loss.forward(model.forward(windows.inputs(), Mode.TRAIN), windows.targets());
                model.zeroGrad();
                model.backward(loss.backward());
                adam.step();
            }
            return (System.nanoTime() - t0) / 1e9;
        }
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
            if ((w[0].equals("W2") || w[0].equals("W3") || w[0].equals("W4")) && w.length == 2) {
                int steps = Integer.parseInt(w[1]);
                if (steps < 1) return "error: " + w[0] + " needs at least one step, got " + steps;
                double seconds = switch (w[0]) {
                    case "W2" -> lstm.seconds(steps);
                    case "W3" -> gru.seconds(steps);
                    default -> w4Seconds(steps);
                };
                return String.format(Locale.ROOT, "%.6f", seconds);
            }
            if (w[0].equals("W5") && w.length == 3) {
                int n = Integer.parseInt(w[1]), threads = Integer.parseInt(w[2]);
                if (n < 1 || threads < 1) return "error: W5 needs n >= 1 and threads >= 1, got " + command;
                return String.format(Locale.ROOT, "%.3f", GemmBenchmark.gflops(n, threads));
            }
        } catch (NumberFormatException e) {
            return "error: not a number in '" + command + "'";
        }
        return "error: unknown command '" + command + "' (expected 'W2 steps', 'W3 steps', 'W4 steps' or 'W5 n threads')";
    }

    public static void main(String[] args) throws IOException, InputDataException {
        TextCorpus text = args.length > 0 ? TextCorpus.characters(Path.of(args[0])) : TextCorpus.bundledSample();
        StepServer server = new StepServer(42, text);
        server.w4Seconds(WARMUP_STEPS);
        server.lstm.seconds(WARMUP_STEPS);
        server.gru.seconds(WARMUP_STEPS);
        GemmBenchmark.warmUp();
        System.out.println("ready");
        System.out.flush();
        server.serve(new InputStreamReader(System.in, StandardCharsets.UTF_8), System.out);
    }
}
