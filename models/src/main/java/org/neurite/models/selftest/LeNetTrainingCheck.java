package org.neurite.models.selftest;

import java.util.ArrayList;
import java.util.List;
import org.neurite.layers.Mode;
import org.neurite.layers.Modules;
import org.neurite.layers.Param;
import org.neurite.layers.Sequential;
import org.neurite.layers.loss.SoftmaxCrossEntropy;
import org.neurite.layers.optim.Sgd;
import org.neurite.models.data.DataLoader;
import org.neurite.models.data.InputDataException;
import org.neurite.models.data.MnistDataset;
import org.neurite.models.train.DeviceBatches;
import org.neurite.models.zoo.LeNet5;
import org.neurite.runtime.Device;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;

/**
 * LeNet-5 trained for a number of steps on a device, from a fixed seed, on the MNIST sample bundled
 * in the jar (500 digits, batches of 32, SGD 0.01 with momentum 0.9): the loss of every step and
 * the final weights (on the host), so runs on two devices can be compared and a falling loss
 * checked. The same loop a {@code Trainer} runs, written out with {@link DeviceBatches}.
 * <pre>{@code
 * LeNetTrainingCheck.Result r = LeNetTrainingCheck.train(cuda, 200, 7);
 * boolean learns = r.lossFell();
 * }</pre>
 */
public final class LeNetTrainingCheck {
    private LeNetTrainingCheck() { }

    /** Per-step losses and the final weights, by parameter name order. */
    public record Result(double[] losses, List<float[]> weights) {
        /** Mean loss of the last tenth of the steps below 0.7 times that of the first tenth. */
        public boolean lossFell() {
            int k = Math.max(1, losses.length / 10);
            return mean(losses.length - k, losses.length) < 0.7 * mean(0, k);
        }

        public double mean(int from, int to) {
            double s = 0;
            for (int i = from; i < to; i++) s += losses[i];
            return s / (to - from);
        }
    }

    /** Trains {@code steps} steps on {@code device} from {@code seed}. */
    public static Result train(Device device, int steps, long seed) throws InputDataException {
        MnistDataset data = MnistDataset.bundledSample(MnistDataset.Split.TRAIN);
        Sequential model = LeNet5.build(new Rng(seed));
        model.setNeedsInputGrad(false);
        Modules.moveTo(model, device);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Sgd opt = new Sgd(model.params(), Sgd.Config.of(0.01).withMomentum(0.9));
        double[] losses = new double[steps];
        int step = 0;
        try (DataLoader loader = DataLoader.builder(data).batchSize(32).shuffle(seed + 1).dropLast(true).build();
             DeviceBatches batches = new DeviceBatches(device)) {
            for (int epoch = 1; step < steps; epoch++) {
                try (DataLoader.Epoch e = loader.epoch(epoch)) {
                    while (step < steps && e.next()) {
                        Tensor x = batches.inputs(e.inputs());
                        Tensor out = model.forward(x, Mode.TRAIN);
                        losses[step] = loss.forward(out, e.targets());
                        model.zeroGrad();
                        model.backward(loss.backward());
                        opt.step();
                        step++;
                    }
                }
            }
        }
        List<float[]> weights = new ArrayList<>();
        for (Param p : model.params()) weights.add(p.value().toCpu().data().clone());
        return new Result(losses, weights);
    }
}
