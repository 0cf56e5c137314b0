package org.neurite.models.bench;

import java.io.PrintStream;
import org.neurite.layers.Module;
import org.neurite.layers.loss.SoftmaxCrossEntropy;
import org.neurite.layers.optim.Optimizer;
import org.neurite.layers.optim.Sgd;
import org.neurite.models.data.DataLoader;
import org.neurite.models.data.Dataset;
import org.neurite.models.train.EpochStats;
import org.neurite.models.train.PhaseTimer;
import org.neurite.models.train.Trainer;
import org.neurite.models.zoo.LeNet5;
import org.neurite.runtime.Rng;

/**
 * Workload W1 of shared/BENCHMARKS.md, exactly: LeNet-5, SGD lr 0.01 momentum 0.9, batch 64 with
 * the last partial batch dropped, shuffled every epoch, 5 epochs; training images/second over
 * epochs 2-3 (epoch 1 is warm-up) and test accuracy after epoch 5.
 */
public final class W1LeNet {
    /** The two W1 figures and where the timed epochs spent their time. */
    public record Result(double imagesPerSecond, double testAccuracy, String breakdown) { }

    private W1LeNet() { }

    public static Result run(Dataset train, Dataset test, long seed, PrintStream log) {
        Rng rng = new Rng(seed);
        Module model = LeNet5.build(rng);
        Optimizer opt = new Sgd(model.params(), 0.01, 0.9);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Trainer trainer = new Trainer(model, loss, opt);
        log.printf("# W1 parameters %d; train %d, test %d images%n", model.parameterCount(), train.size(), test.size());
        double timedSeconds = 0;
        long timedImages = 0;
        PhaseTimer timed = trainer.timer();
        try (DataLoader loader = DataLoader.builder(train).batchSize(64).shuffle(seed + 1).dropLast(true).prefetch(true).build();
             DataLoader testLoader = DataLoader.builder(test).batchSize(500).prefetch(true).build()) {
            String breakdown = "";
            for (int epoch = 1; epoch <= 5; epoch++) {
                if (epoch == 2) timed.reset();
                EpochStats s = trainer.trainEpoch(loader, epoch, null);
                log.printf("# W1 epoch %d: %.3f s, %.1f img/s, mean train loss %.4f%n", epoch, s.seconds(), s.samplesPerSecond(), s.loss());
                if (epoch == 2 || epoch == 3) {
                    timedSeconds += s.seconds();
                    timedImages += s.samples();
                }
                if (epoch == 3) breakdown = timed.breakdown();
            }
            EpochStats t = Trainer.evaluate(model, loss, testLoader);
            return new Result(timedImages / timedSeconds, t.accuracy(), breakdown);
        }
    }
}
