package org.neurite.layers.dense;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurite.layers.Mode;
import org.neurite.layers.Sequential;
import org.neurite.layers.activation.Activation;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;

/**
 * Dense + ReLU fused in a Sequential gives bit for bit what the two modules give run one after
 * the other: output, input gradient and both parameter gradients; the ReLU passes through.
 */
class DenseReluFusionTest {
    @Test void fusedEqualsSeparateBitForBit() {
        for (int[] s : new int[][] {{64, 400, 120}, {64, 120, 84}, {3, 5, 7}, {1, 1, 1}}) {
            int n = s[0], in = s[1], out = s[2];
            Dense fusedDense = new Dense(in, out, new Rng(3));
            Activation fusedRelu = Activation.relu();
            Sequential seq = new Sequential().add("fc", fusedDense).add("relu", fusedRelu);
            assertTrue(fusedRelu.isFused(), "the ReLU after a Dense is fused");

            Dense dense = new Dense(in, out, new Rng(3));
            Activation relu = Activation.relu();
            assertFalse(relu.fuseInto(new Sequential()), "a lone ReLU stays separate");

            Rng rng = new Rng(4);
            Tensor x = Tensor.zeros(n, in);
            rng.uniform(x.data(), 0, x.size(), -1f, 1f);
            Tensor dy = Tensor.zeros(n, out);
            rng.uniform(dy.data(), 0, dy.size(), -1f, 1f);
            if (out > 1) fusedDense.bias().value().data()[1] = dense.bias().value().data()[1] = -1e9f; // a dead unit

            Tensor yFused = seq.forward(x, Mode.TRAIN);
            assertSame(yFused, fusedRelu.forward(yFused, Mode.TRAIN), "the fused ReLU passes its input through");
            yFused = seq.forward(x, Mode.TRAIN);
            Tensor y = relu.forward(dense.forward(x, Mode.TRAIN), Mode.TRAIN);
            assertArrayEquals(y.data(), yFused.data(), "y " + java.util.Arrays.toString(s));

            seq.zeroGrad();
            dense.zeroGrad();
            Tensor dxFused = seq.backward(dy);
            Tensor dx = dense.backward(relu.backward(dy));
            assertArrayEquals(dx.data(), dxFused.data(), "dX");
            assertArrayEquals(dense.weight().grad().data(), fusedDense.weight().grad().data(), "dW");
            assertArrayEquals(dense.bias().grad().data(), fusedDense.bias().grad().data(), "db");
            assertEquals(0f, out > 1 ? fusedDense.bias().grad().data()[1] : 0f, "the dead unit gets no gradient");
        }
    }
}
