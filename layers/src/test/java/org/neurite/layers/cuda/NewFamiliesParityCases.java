package org.neurite.layers.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.neurite.layers.Concat;
import org.neurite.layers.DenseBlock;
import org.neurite.layers.Mode;
import org.neurite.layers.Sequential;
import org.neurite.layers.conv.Conv2d;
import org.neurite.layers.dense.Dense;
import org.neurite.layers.embedding.Embedding;
import org.neurite.layers.embedding.OneHot;
import org.neurite.layers.lenet1998.LeNet1998Tables;
import org.neurite.layers.lenet1998.PartialConv2d;
import org.neurite.layers.lenet1998.ScaledTanh;
import org.neurite.layers.lenet1998.Subsampling;
import org.neurite.layers.pool.MaxPool2d;
import org.neurite.layers.pool.Pool2d;
import org.neurite.layers.sequence.SequencePool;
import org.neurite.layers.sequence.TimeDistributed;
import org.neurite.layers.shape.Flatten;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.Device;

/**
 * The cases of {@link NewFamiliesParityGpuTest}, run against the device {@link #device()} gives.
 * On a GPU: the layers whose CUDA engines are native kernels or strided copies (concat, dense
 * block, embedding, one-hot, sequence pooling, time-distributed, LeNet-1998's subsampling, scaled
 * tanh and partial convolution, flatten) against their CPU modules: forward, dX and every
 * parameter gradient ({@link ModuleParity}). Skipped, saying why, where CUDA is not usable.
 */
abstract class NewFamiliesParityCases {
    private Device cuda;

    /** The device compared with the CPU. */
    abstract Device device();

    @BeforeEach void openDevice() {
        cuda = device();
    }

    @Test void concatOfConvolutionsAndAPool() {
        Tensor x = ModuleParity.random(new Rng(1), 2, 3, 6, 6);
        ModuleParity.check("concat", r -> Concat.of(new Conv2d(Conv2d.config(3, 4, 1).build(), r),
                new Conv2d(Conv2d.config(3, 2, 3).padding(1).build(), r),
                new MaxPool2d(Pool2d.Config.of(3, 1, 1))), x, cuda, Mode.TRAIN);
    }

    @Test void denseBlockInTrainingAndEvaluation() {
        Tensor x = ModuleParity.random(new Rng(2), 2, 4, 5, 5);
        ModuleParity.check("dense block (train)", r -> new DenseBlock(DenseBlock.config(4, 3, 3), r), x, cuda, Mode.TRAIN);
        ModuleParity.check("dense block (eval)", r -> new DenseBlock(DenseBlock.config(4, 3, 3), r), x, cuda, Mode.EVAL);
    }

    @Test void embeddingWithRepeatedIds() {
        Tensor ids = ModuleParity.ids(new Rng(3), 5, 7, 4);       // 28 ids over 5 rows: many repeats
        ModuleParity.check("embedding", r -> new Embedding(5, 6, r), ids, cuda, Mode.TRAIN);
    }

    @Test void embeddingRefusesABadIdOnTheDeviceWithTheCpuMessage() {
        Embedding e = new Embedding(5, 2, new Rng(4));
        org.neurite.layers.Modules.moveTo(e, cuda);
        Tensor ids = Tensor.wrap(org.neurite.runtime.Shape.of(2), new float[] {1, 5}).toDevice(cuda);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> e.forward(ids, Mode.TRAIN));
        assertEquals("Embedding: input[1] = 5.0 is not a token id (an integer in [0, 5))", ex.getMessage());
    }

    @Test void oneHot() {
        Tensor ids = ModuleParity.ids(new Rng(5), 9, 3, 4);
        ModuleParity.check("one-hot", r -> new OneHot(9), ids, cuda, Mode.TRAIN);
    }

    @ParameterizedTest @EnumSource(SequencePool.Kind.class)
    void sequencePool(SequencePool.Kind kind) {
        Tensor x = ModuleParity.random(new Rng(6), 5, 3, 4);
        ModuleParity.check("sequence pool " + kind, r -> new SequencePool(kind), x, cuda, Mode.TRAIN);
    }

    @Test void timeDistributedDense() {
        Tensor x = ModuleParity.random(new Rng(7), 4, 3, 5);
        ModuleParity.check("time-distributed dense", r -> new TimeDistributed(new Dense(5, 6, r)), x, cuda, Mode.TRAIN);
    }

    @Test void subsamplingScaledTanhAndTheC3PartialConvolution() {
        Tensor x = ModuleParity.random(new Rng(8), 3, 6, 14, 14);
        ModuleParity.check("subsampling", r -> new Subsampling(6), x, cuda, Mode.TRAIN);
        ModuleParity.check("scaled tanh", r -> new ScaledTanh(), x, cuda, Mode.TRAIN);
        ModuleParity.check("C3 partial conv", r -> new PartialConv2d(PartialConv2d.config(LeNet1998Tables.c3(), 5), r), x, cuda, Mode.TRAIN);
    }

    @Test void flattenBetweenAConvolutionAndADenseLayer() {
        Tensor x = ModuleParity.random(new Rng(9), 2, 3, 5, 5);
        ModuleParity.check("conv-flatten-dense", r -> new Sequential()
                .add("conv", new Conv2d(Conv2d.config(3, 2, 3).build(), r))
                .add("flatten", new Flatten())
                .add("fc", new Dense(2 * 3 * 3, 4, r)), x, cuda, Mode.TRAIN);
    }
}
