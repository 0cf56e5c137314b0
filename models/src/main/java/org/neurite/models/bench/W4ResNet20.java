package org.neurite.models.bench;

import java.io.PrintStream;
import java.util.Locale;
import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.layers.loss.SoftmaxCrossEntropy;
import org.neurite.layers.optim.Optimizer;
import org.neurite.layers.optim.Sgd;
import org.neurite.models.zoo.ResNet;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;

/**
 * Workload W4 of shared/BENCHMARKS.md, exactly: ResNet-20 (CIFAR variant, projection shortcuts),
 * random 3x32x32 inputs and labels of 10 classes, SGD lr 0.1 momentum 0.9 weight decay 1e-4,
 * batch 64; training images/second over 30 timed steps after 5 warm-up steps, the median of 3
 * such repetitions (shared/BENCHMARKS.md; PyTorch's peer script runs the same 5 + 3 x 30 steps),
 * with the time of all timed steps split into forward (with the loss), backward (with zeroGrad)
 * and update. One fixed random batch is
 * reused every step (throughput does not depend on the values).
 *
 * <pre>{@code
 * W4ResNet20.Result r = W4ResNet20.run(42, System.err);
 * java -cp <models and dependencies> org.neurite.models.bench.W4ResNet20 [--profile]
 * }</pre>
 */
public final class W4ResNet20 {
    public static final int BATCH = 64, WARMUP = 5, TIMED = 30, REPS = 3, CLASSES = 10;

    /** Images per second and the seconds each phase took over the timed steps. */
    public record Result(double imagesPerSecond, double forwardS, double backwardS, double updateS, double firstLoss, double lastLoss) {
        public String breakdown() {
            double t = forwardS + backwardS + updateS;
            return String.format(Locale.ROOT, "forward %.0f%% (%.1f ms/step) backward %.0f%% (%.1f ms/step) update %.0f%% (%.1f ms/step)",
                    100 * forwardS / t, 1e3 * forwardS / (REPS * TIMED), 100 * backwardS / t, 1e3 * backwardS / (REPS * TIMED),
                    100 * updateS / t, 1e3 * updateS / (REPS * TIMED));
        }
    }

    private W4ResNet20() { }

    /** The model, optimizer and data of W4 from {@code seed}. */
    static Module model(long seed) { return ResNet.cifar(3, CLASSES, new Rng(seed)); }

    static Tensor[] batch(long seed) {
        Rng rng = new Rng(seed + 1);
        Tensor x = Tensor.zeros(BATCH, 3, 32, 32);
        rng.normal(x.data(), 0, x.size(), 0f, 1f);
        Tensor y = Tensor.zeros(BATCH);
        for (int i = 0; i < BATCH; i++) y.set(i, rng.nextInt(CLASSES));
        return new Tensor[] {x, y};
    }

    public static Result run(long seed, PrintStream log) {
        Module model = model(seed);
        // as Trainer does: training never needs the gradient of the images (PyTorch's inputs do not
        // require grad either); without this the first convolution's dX was computed every step
        model.setNeedsInputGrad(false);
        Optimizer opt = new Sgd(model.params(), Sgd.Config.of(0.1).withMomentum(0.9).withWeightDecay(1e-4));
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Tensor[] b = batch(seed);
        log.printf("# W4 ResNet-20: %,d parameters, batch %d, %d threads, Java %s%n",
                model.parameterCount(), BATCH, Parallel.threads(), Runtime.version());
        long fwd = 0, bwd = 0, upd = 0;
        double first = 0, last = 0;
        double[] rates = new double[REPS];
        long repNanos = 0;
        for (int step = 0; step < WARMUP + REPS * TIMED; step++) {
            long t0 = System.nanoTime();
            double l = loss.forward(model.forward(b[0], Mode.TRAIN), b[1]);
            long t1 = System.nanoTime();
            model.zeroGrad();
            model.backward(loss.backward());
            long t2 = System.nanoTime();
            opt.step();
            long t3 = System.nanoTime();
            if (step == 0) first = l;
            last = l;
            if (step >= WARMUP) {
                fwd += t1 - t0;
                bwd += t2 - t1;
                upd += t3 - t2;
                repNanos += t3 - t0;
                if ((step - WARMUP + 1) % TIMED == 0) {
                    int rep = (step - WARMUP) / TIMED;
                    rates[rep] = TIMED * BATCH / (repNanos / 1e9);
                    log.printf(Locale.ROOT, "# W4 rep %d: %d steps %.3f s, %.1f img/s%n", rep + 1, TIMED, repNanos / 1e9, rates[rep]);
                    repNanos = 0;
                }
            }
            log.printf(Locale.ROOT, "# W4 step %d: %.1f ms, loss %.4f%n", step, (t3 - t0) / 1e6, l);
        }
        double[] sorted = rates.clone();
        java.util.Arrays.sort(sorted);
        return new Result(sorted[REPS / 2], fwd / 1e9, bwd / 1e9, upd / 1e9, first, last);
    }

    /** Runs W4 and prints {@code W4 images_per_s}; {@code --profile} adds the per-layer-type times. */
    public static void main(String[] args) {
        Result r = run(42, System.err);
        System.out.printf(Locale.ROOT, "# W4 time in the timed steps: %s%n", r.breakdown());
        System.out.printf(Locale.ROOT, "W4 images_per_s %.1f%n", r.imagesPerSecond());
        if (args.length > 0 && args[0].equals("--profile")) {
            Module model = model(42);
            model.setNeedsInputGrad(false);     // as in the timed steps: no gradient of the images
            System.out.print(W4LayerProfile.report(model, batch(42)[0], 10));
        }
    }
}
