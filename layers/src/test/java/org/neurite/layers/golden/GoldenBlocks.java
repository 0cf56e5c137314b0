package org.neurite.layers.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.layers.Param;
import org.neurite.layers.activation.Activation;
import org.neurite.layers.norm.Buffers;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * Golden checks of whole blocks (a torchvision BasicBlock, Bottleneck or Inception) in training
 * mode: parameters under torchvision's names, then output, dx, every parameter gradient and every
 * batch-norm running statistic after the step ({@code after/<qualified buffer name>}).
 */
public final class GoldenBlocks {
    private GoldenBlocks() { }

    /**
     * Runs {@code block} on case {@code c} of {@code golden} as {@link Golden#checkLayer} does, and
     * then compares the running statistics. The file's parameters and buffers must be exactly the
     * block's, by name.
     */
    public static void checkTrainingStep(Golden golden, String c, Module block) {
        String at = golden.family() + "/" + c;
        TreeSet<String> fileBuffers = new TreeSet<>();
        for (String n : golden.tensorNames()) {
            if (n.startsWith(c + "/after/")) fileBuffers.add(n.substring((c + "/after/").length()));
        }
        Map<String, Tensor> buffers = Buffers.of(block);
        assertEquals(fileBuffers, new TreeSet<>(buffers.keySet()), at + ": buffer names");
        golden.checkLayer(c, block);
        for (Map.Entry<String, Tensor> b : buffers.entrySet()) {
            Golden.assertForward(at + " " + b.getKey() + " after the step", golden.tensor(c, "after/" + b.getKey()), b.getValue());
        }
        for (Param p : block.params()) assertArrayEquals(golden.tensor(c, p.name()).shape().dims(), p.value().shape().dims(), p.name());
    }

    /** {@code relu(inner(x))} under inner's parameter and buffer names: torchvision's blocks end in their ReLU. */
    public static final class ThenRelu extends Module implements Buffers.Owner {
        private final Module inner;
        private final Activation relu = Activation.relu();

        public ThenRelu(Module inner) { this.inner = inner; }

        @Override public Shape outputShape(Shape s) { return inner.outputShape(s); }

        @Override public Tensor forward(Tensor x, Mode mode) { return relu.forward(inner.forward(x, mode), mode); }

        @Override public Tensor backward(Tensor dY) { return inner.backward(relu.backward(dY)); }

        @Override public List<Param> params() { return inner.params(); }

        @Override public void zeroGrad() { inner.zeroGrad(); }

        @Override public Map<String, Tensor> buffers() { return Buffers.of(inner); }
    }
}
