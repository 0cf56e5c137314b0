package org.neurite.models.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.layers.Modules;
import org.neurite.layers.Param;
import org.neurite.layers.loss.Loss;
import org.neurite.layers.loss.MeanSquaredError;
import org.neurite.layers.loss.SoftmaxCrossEntropy;
import org.neurite.layers.optim.Sgd;
import org.neurite.layers.rnn.CellType;
import org.neurite.runtime.Device;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.TensorAsserts;

/**
 * Zoo models (small configurations of each kind, every layer with a CUDA engine) trained a few SGD
 * steps on {@link #device()} and on the CPU from one seed and one fixed batch: the losses of every
 * step and the final weights agree within float tolerance. LeNet-5 as published in 1998, a
 * DenseNet-BC, ResNet-8 (batch norm, projection shortcuts, global pooling), the CIFAR AlexNet (LRN,
 * grouped convolutions, dropout), the denoising autoencoder (masking noise; MSE against its input),
 * character LSTM/GRU/RNN LMs (one-hot input, time-distributed head), the BiLSTM classifier and tagger
 * (embedding, sequence pooling) and the seq2seq encoder-decoder (initial states and their
 * gradients). Noise (dropout, masking) comes from the models' own seeded streams, drawn on the host
 * on both devices, so it is the same. Targets stay on the host, as a Trainer keeps them.
 */
abstract class ZooDeviceCases {
    private static final int STEPS = 3;

    abstract Device device();

    private record Run(double[] losses, List<float[]> weights) { }

    private static Run train(Function<Rng, ? extends Module> build, Supplier<Loss> makeLoss, Device device, Tensor x, Tensor targets) {
        Module model = build.apply(new Rng(31));
        model.setNeedsInputGrad(false);
        Modules.moveTo(model, device);
        Sgd opt = new Sgd(model.params(), Sgd.Config.of(0.05).withMomentum(0.9));
        Loss loss = makeLoss.get();
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

    private void compare(String name, Function<Rng, ? extends Module> build, Tensor x, Tensor targets) {
        compare(name, build, SoftmaxCrossEntropy::new, x, targets);
    }

    private void compare(String name, Function<Rng, ? extends Module> build, Supplier<Loss> loss, Tensor x, Tensor targets) {
        Run cpu = train(build, loss, Device.CPU, x, targets), dev = train(build, loss, device(), x, targets);
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

    @Test void resNet8() {
        Rng rng = new Rng(35);
        compare("ResNet-8", r -> ResNet.cifar(1, 10, r), random(rng, 2, 3, 32, 32), classes(rng, 10, 2));
    }

    @Test void alexNetCifar() {
        Rng rng = new Rng(36);
        compare("AlexNet (CIFAR)", r -> AlexNet.cifar(10, r), random(rng, 2, 3, 32, 32), classes(rng, 10, 2));
    }

    @Test void denoisingAutoencoder() {
        Rng rng = new Rng(37);
        Tensor x = Tensor.zeros(3, 1, 28, 28);
        for (int i = 0; i < x.size(); i++) x.set(i, rng.nextFloat());
        compare("denoising autoencoder", Autoencoder::buildDenoising, MeanSquaredError::new, x, x.reshape(org.neurite.runtime.Shape.of(3, 784)));
    }

    @Test void charGruAndCharRnn() {
        Rng rng = new Rng(38);
        compare("char GRU", r -> CharLm.build(CellType.GRU, 11, 8, 2, r), classes(rng, 11, 6, 3), classes(rng, 11, 6, 3));
        compare("char RNN", r -> CharLm.build(CellType.RNN_TANH, 11, 8, 1, r), classes(rng, 11, 6, 3), classes(rng, 11, 6, 3));
    }

    @Test void biLstmClassifierAndTagger() {
        Rng rng = new Rng(39);
        Tensor ids = classes(rng, 13, 5, 3);
        compare("BiLSTM classifier", r -> SequenceClassifier.build(13, 5, 6, 2, r), ids, classes(rng, 2, 3));
        compare("BiLSTM tagger", r -> SequenceTagger.build(13, 5, 6, 4, r), ids, classes(rng, 4, 5, 3));
    }

    @Test void seq2seq() {
        Rng rng = new Rng(40);
        // [Ts + Tt, N] = [3 + 4, 2] ids below both vocabularies; targets [Tt, N]
        compare("seq2seq", r -> new Seq2Seq(new Seq2Seq.Config(7, 9, 4, 5, 2, 3), r), classes(rng, 7, 7, 2), classes(rng, 9, 4, 2));
    }
}
