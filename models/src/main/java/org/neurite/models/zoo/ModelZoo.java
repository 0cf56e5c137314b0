package org.neurite.models.zoo;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.neurite.layers.Module;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;

/** Every model Neurite can build by name, with the input it expects. */
public final class ModelZoo {
    /** A buildable model: its name, a one-line description, per-sample input shape and classes. */
    public record Spec(String name, String description, Shape inputShape, int classes, Function<Rng, Module> builder) {
        public Module build(Rng rng) { return builder.apply(rng); }
    }

    private static final Map<String, Spec> MODELS = new LinkedHashMap<>();

    static {
        register(new Spec("lenet5", "LeNet-5 with ReLU and max pooling (W1), MNIST 1x28x28",
                LeNet5.INPUT, LeNet5.CLASSES, LeNet5::build));
        register(new Spec("lenet5-1998", "LeNet-5 as published in 1998 (scaled tanh, trainable subsampling, C3 table), 1x32x32",
                LeNet1998.INPUT, LeNet1998.CLASSES, LeNet1998::build));
        register(new Spec("alexnet", "AlexNet as in the 2012 paper (groups of 2, LRN, dropout), ImageNet 3x227x227",
                AlexNet.INPUT, 1000, AlexNet::build));
        register(new Spec("alexnet-cifar", "AlexNet scaled down for CIFAR-10 3x32x32",
                AlexNet.CIFAR_INPUT, 10, rng -> AlexNet.cifar(10, rng)));
        register(new Spec("vgg11", "VGG-11 (torchvision layout, no batch norm), ImageNet 3x224x224",
                Vgg.IMAGENET_INPUT, 1000, Vgg::vgg11));
        register(new Spec("vgg16", "VGG-16 (torchvision layout, no batch norm), ImageNet 3x224x224",
                Vgg.IMAGENET_INPUT, 1000, Vgg::vgg16));
        register(new Spec("vgg-cifar", "VGG-11 with batch norm and a 512 -> 10 head, CIFAR-10 3x32x32",
                Vgg.CIFAR_INPUT, 10, rng -> Vgg.cifar(10, rng)));
        register(new Spec("resnet20", "ResNet-20, CIFAR variant with projection shortcuts (W4), 3x32x32",
                ResNet.CIFAR_INPUT, 10, rng -> ResNet.cifar(3, 10, rng)));
        register(new Spec("resnet56", "ResNet-56, CIFAR variant with projection shortcuts, 3x32x32",
                ResNet.CIFAR_INPUT, 10, rng -> ResNet.cifar(9, 10, rng)));
        register(new Spec("resnet18", "ResNet-18 (torchvision), ImageNet 3x224x224",
                ResNet.IMAGENET_INPUT, 1000, ResNet::resnet18));
        register(new Spec("resnet34", "ResNet-34 (torchvision), ImageNet 3x224x224",
                ResNet.IMAGENET_INPUT, 1000, ResNet::resnet34));
        register(new Spec("resnet50", "ResNet-50 (torchvision v1.5 bottlenecks), ImageNet 3x224x224",
                ResNet.IMAGENET_INPUT, 1000, ResNet::resnet50));
        register(new Spec("densenet121", "DenseNet-121 (BC, growth 32, blocks 6-12-24-16; torchvision), ImageNet 3x224x224",
                DenseNet.IMAGENET_INPUT, 1000, DenseNet::densenet121));
        register(new Spec("densenet-bc-100", "DenseNet-BC-100 (growth 12, 3 blocks of 16 layers), CIFAR-10 3x32x32",
                DenseNet.CIFAR_INPUT, 10, rng -> DenseNet.cifarBC(100, 12, 10, rng)));
        register(new Spec("googlenet", "GoogLeNet / Inception v1 as torchvision builds it, no auxiliary heads, 3x224x224",
                GoogLeNet.INPUT, 1000, GoogLeNet::build));
        // autoencoders reconstruct their input: no classes (0); train them with MSE against the input
        register(new Spec("autoencoder", "dense autoencoder 784-256-64-256-784, sigmoid output, MNIST 1x28x28",
                Autoencoder.INPUT, 0, Autoencoder::build));
        register(new Spec("denoising-autoencoder", "the autoencoder with masking noise (p 0.3) on its input in training",
                Autoencoder.INPUT, 0, Autoencoder::buildDenoising));
        register(new Spec("char-rnn", "character LM: one-hot 97 -> RNN(tanh) 256 -> dense 97 per step; input [T, N] ids", CharLm.INPUT, CharLm.DEFAULT_VOCAB, CharLm::charRnn));
        register(new Spec("char-lstm", "character LM (W2): one-hot 97 -> LSTM 256 -> dense 97 per step; input [T, N] ids", CharLm.INPUT, CharLm.DEFAULT_VOCAB, CharLm::charLstm));
        register(new Spec("char-gru", "character LM (W3): one-hot 97 -> GRU 256 -> dense 97 per step; input [T, N] ids", CharLm.INPUT, CharLm.DEFAULT_VOCAB, CharLm::charGru));
        register(new Spec("bilstm-classifier", "embedding 100 -> BiLSTM 128 -> max over time -> dense 2; input [T, N] ids", SequenceClassifier.INPUT, SequenceClassifier.CLASSES, SequenceClassifier::build));
        register(new Spec("bilstm-tagger", "embedding 100 -> BiLSTM 128 -> dense 17 per step; input [T, N] ids", SequenceTagger.INPUT, SequenceTagger.TAGS, SequenceTagger::build));
        register(new Spec("seq2seq", "LSTM encoder-decoder (2x128, vocab 1000); input [20 + Tt, N] ids: source then decoder input", Seq2Seq.INPUT, Seq2Seq.Config.standard().targetVocab(), Seq2Seq::build));
    }

    private ModelZoo() { }

    private static void register(Spec spec) { MODELS.put(spec.name(), spec); }

    /** The model called {@code name}; an unknown name is an error listing the known ones. */
    public static Spec get(String name) {
        Spec s = MODELS.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown model '" + name + "' (known: " + String.join(", ", MODELS.keySet()) + ")");
        }
        return s;
    }

    public static Collection<Spec> all() { return Collections.unmodifiableCollection(MODELS.values()); }
}
