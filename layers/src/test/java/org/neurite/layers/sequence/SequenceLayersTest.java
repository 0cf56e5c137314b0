package org.neurite.layers.sequence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.neurite.layers.GradCheck;
import org.neurite.layers.Mode;
import org.neurite.layers.dense.Dense;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

class SequenceLayersTest {
    private static Tensor random(Rng rng, int... dims) {
        Tensor t = Tensor.zeros(dims);
        rng.uniform(t.data(), 0, t.size(), -1f, 1f);
        return t;
    }

    @Test void poolsByHand() {
        // x [T=3, N=1, C=2]: steps (1, -4), (3, 0), (-2, 5)
        Tensor x = Tensor.wrap(Shape.of(3, 1, 2), new float[] {1, -4, 3, 0, -2, 5});
        assertArrayEquals(new float[] {-2, 5}, new SequencePool(SequencePool.Kind.LAST).forward(x, Mode.TRAIN).data());
        assertArrayEquals(new float[] {3, 5}, new SequencePool(SequencePool.Kind.MAX).forward(x, Mode.TRAIN).data());
        assertArrayEquals(new float[] {2f / 3, 1f / 3}, new SequencePool(SequencePool.Kind.MEAN).forward(x, Mode.TRAIN).data(), 1e-6f);
        SequencePool max = new SequencePool(SequencePool.Kind.MAX);
        max.forward(x, Mode.TRAIN);
        assertArrayEquals(new float[] {0, 0, 7, 0, 0, 8}, max.backward(Tensor.wrap(Shape.of(1, 2), new float[] {7, 8})).data());
    }

    @ParameterizedTest @EnumSource(SequencePool.Kind.class)
    void poolGradientCheck(SequencePool.Kind kind) {
        GradCheck.standard().check(new SequencePool(kind), random(new Rng(kind.ordinal()), 4, 2, 3), Mode.TRAIN, 1);
    }

    @Test void timeDistributedDenseIsOneDenseOverAllRows() {
        Rng rng = new Rng(7);
        Dense dense = new Dense(Dense.Config.of(3, 5).withInit(Dense.WeightInit.PYTORCH_DEFAULT), rng);
        TimeDistributed td = new TimeDistributed(dense);
        Tensor x = random(rng, 4, 2, 3);
        assertEquals(Shape.of(4, 2, 5), td.outputShape(x.shape()));
        float[] y = td.forward(x, Mode.TRAIN).data().clone();
        assertEquals(Shape.of(4, 2, 5), td.forward(x, Mode.TRAIN).shape());
        Dense same = new Dense(Dense.Config.of(3, 5), rng);
        same.weight().value().copyFrom(dense.weight().value());
        same.bias().value().copyFrom(dense.bias().value());
        assertArrayEquals(same.forward(x.reshape(Shape.of(8, 3)), Mode.TRAIN).data(), y);
        assertEquals(2, td.params().size());
        GradCheck.standard().check(td, x, Mode.TRAIN, 2);
    }
}
