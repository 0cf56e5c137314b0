package org.neurite.layers.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurite.layers.Mode;
import org.neurite.layers.Param;
import org.neurite.layers.activation.Activation;
import org.neurite.layers.activation.Softmax;
import org.neurite.layers.loss.SoftmaxCrossEntropy;
import org.neurite.layers.shape.Flatten;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * After the first call with a shape, the activation, softmax, flatten, loss and optimizer steps
 * allocate nothing (Dense is left out: its allocation is the GEMM's business).
 */
class NoAllocationTest {
    @Test void aTrainingStepAllocatesNothingAfterWarmUp() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Rng rng = new Rng(1);
        Tensor x = Tensor.zeros(8, 2, 2, 5);
        rng.uniform(x.data(), 0, x.size(), -1f, 1f);
        Tensor labels = Tensor.wrap(Shape.of(8), new float[] {0, 1, 2, 3, 4, 5, 6, 7});
        Flatten flatten = new Flatten();
        Activation relu = Activation.relu();
        Activation tanh = Activation.tanh();
        Softmax softmax = new Softmax();
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        Param p = Param.of("w", x);
        List<Param> params = List.of(p);
        Sgd sgd = new Sgd(params, Sgd.Config.of(0.01).withMomentum(0.9).withNesterov(true));
        Adam adam = new Adam(params, 0.01);

        long before = 0;
        for (int round = 0; round < 2; round++) {
            if (round == 1) before = mx.getCurrentThreadAllocatedBytes();
            for (int s = 0; s < 20; s++) {
                Tensor h = tanh.forward(relu.forward(flatten.forward(x, Mode.TRAIN), Mode.TRAIN), Mode.TRAIN);
                softmax.forward(h, Mode.TRAIN);
                softmax.backward(h);
                ce.forward(h, labels);
                Tensor g = flatten.backward(relu.backward(tanh.backward(ce.backward())));
                p.grad().copyFrom(g);
                sgd.step();
                adam.step();
            }
        }
        assertEquals(0, mx.getCurrentThreadAllocatedBytes() - before, "bytes allocated by 20 warm steps");
    }
}
