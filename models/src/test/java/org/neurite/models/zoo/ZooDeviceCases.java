package org.neurite.models.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.neurite.layers.Mode;
import org.neurite.layers.Modules;
import org.neurite.layers.Param;
import org.neurite.layers.Sequential;
import org.neurite.layers.loss.SoftmaxCrossEntropy;
import org.neurite.layers.optim.Sgd;
import org.neurite.layers.rnn.CellType;
import org.neurite.runtime.Device;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.TensorAsserts;

/**
 * Models whose every layer now has a CUDA engine (LeNet-5 as published in 1998, a DenseNet-BC, a
 * character LSTM with one-hot input and a time-distributed head) trained a few SGD steps on
 * {@link #device()} and on the CPU from one seed and one fixed batch: the losses of every step and
 * the final weights agree within float tolerance. Targets stay on the host, as a Trainer keeps them.
 */
abstract class ZooDeviceCases {
    private static final int STEPS = 3;

    abstract Device device();

    private record Run(double[] losses, List<float[]> weights) { }

    private static Run train(Function<Rng, Sequential> build, Device device, Tensor x, Tensor targets) {
        Sequential model = build.apply(new Rng(31));
        model.setNeedsInputGrad(false);
        Modules.moveTo(model, device);
        Sgd opt = new Sgd(model.params(), Sgd.Config.of(0.05).withMomentum(0.9));
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Tensor xd = x.toDevice(device);
        double[] losses = new double[STEPS];
        for (int s = 0; s < STEPS; s++) {
            losses[s] = loss.forward(model.forward(xd, Mode.TRAIN), targets);
            model.zeroGrad();
            model.backward(loss.backward());
            opt.step();
        }
        List<float[]> weights = model.params().stream().map((Param p) -> p.value().toCpu().data().clone()).toList();
        return new Run(losses, weights);
    }

    private void compare(String name, Function<Rng, Sequential> build, Tensor x, Tensor targets) {
        Run cpu = train(build, Device.CPU, x, targets), dev = train(build, device(), x, targets);
        for (int s = 0; s < STEPS; s++) assertEquals(cpu.losses()[s], dev.losses()[s], 1e-3 * cpu.losses()[s], name + ": loss of step " + s);
        for (int i = 0; i < cpu.weights().size(); i++) {
            TensorAsserts.assertClose(name + ": param " + i, cpu.weights().get(i), dev.weights().get(i), 1e-3, 1e-4);
        }
    }

    private static Tensor random(Rng rng, int... dims) {
        Tensor t = Tensor.zeros(dims);
        rng.normal(t.data(), 0, t.size(), 0f, 1f);
        return t;
    }

    private static Tensor classes(Rng rng, int classes, int... dims) {
        Tensor t = Tensor.zeros(dims);
        for (int i = 0; i < t.size(); i++) t.set(i, rng.nextInt(classes));
        return t;
    }

    @Test void leNet1998() {
        Rng rng = new Rng(32);
        compare("LeNet-1998", LeNet1998::build, random(rng, 4, 1, 32, 32), classes(rng, 10, 4));
    }

    @Test void denseNetBc() {
        Rng rng = new Rng(33);
        compare("DenseNet-BC-10", r -> DenseNet.cifarBC(10, 4, 10, r), random(rng, 2, 3, 32, 32), classes(rng, 10, 2));
    }

    @Test void charLstm() {
        Rng rng = new Rng(34);
        compare("char LSTM", r -> CharLm.build(CellType.LSTM, 11, 8, 1, r), classes(rng, 11, 6, 3), classes(rng, 11, 6, 3));
    }
}
