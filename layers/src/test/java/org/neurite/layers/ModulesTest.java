package org.neurite.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neurite.layers.conv.Conv2d;
import org.neurite.layers.dense.Dense;
import org.neurite.layers.norm.BatchNorm2d;
import org.neurite.layers.norm.Buffers;
import org.neurite.layers.shape.Flatten;
import org.neurite.runtime.Device;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;

/** {@link Modules#moveTo}: the walk over parameters, gradients and buffers (no GPU needed). */
class ModulesTest {
    private static final Device FAKE = new Device() {
        @Override public Kind kind() { return Kind.CUDA; }
        @Override public String name() { return "fake:0"; }
        @Override public String toString() { return "fake:0"; }
    };

    private static Sequential model() {
        Rng rng = new Rng(7);
        return new Sequential()
                .add("conv", new Conv2d(Conv2d.config(1, 2, 3).build(), rng))
                .add("bn", new BatchNorm2d(2))
                .add("flatten", new Flatten())
                .add("fc", new Dense(2 * 2 * 2, 3, rng));
    }

    @Test void movingToTheCpuKeepsEveryParamTensorAndValue() {
        Sequential m = model();
        List<Param> before = m.params();
        float[][] values = new float[before.size()][];
        for (int i = 0; i < values.length; i++) values[i] = before.get(i).value().data().clone();
        // conv w, b; bn w, b; fc w, b: 6 values + 6 gradients; 2 running statistics.
        assertEquals(6 * 2 + 2, Modules.moveTo(m, Device.CPU));
        List<Param> after = m.params();
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) {
            assertEquals(before.get(i).name(), after.get(i).name());
            assertSame(before.get(i).value(), after.get(i).value(), "Param identity kept");
            assertSame(before.get(i).grad(), after.get(i).grad());
            assertArrayEquals(values[i], after.get(i).value().data());
        }
        assertEquals(List.of("conv.weight", "conv.bias", "bn.weight", "bn.bias", "fc.weight", "fc.bias"),
                after.stream().map(Param::name).toList());
    }

    @Test void sharedTensorsCountOnce() {
        Tensor w = Tensor.zeros(3, 3);
        Param p = new Param("w", w, w);   // value and gradient the same tensor
        Module m = new Module() {
            @Override public org.neurite.runtime.Shape outputShape(org.neurite.runtime.Shape s) { return s; }
            @Override public Tensor forward(Tensor x, Mode mode) { return x; }
            @Override public Tensor backward(Tensor dY) { return dY; }
            @Override public List<Param> params() { return List.of(p, p); }
        };
        assertEquals(1, Modules.moveTo(m, Device.CPU));
    }

    @Test void aDeviceThatCannotAllocateFailsOnTheFirstTensorAndNamesIt() {
        Sequential m = model();
        Map<String, Tensor> buffers = Buffers.of(m);
        assertEquals(List.of("bn.running_mean", "bn.running_var"), List.copyOf(buffers.keySet()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Modules.moveTo(m, FAKE));
        assertEquals("fake:0 is not a CUDA device", e.getMessage());
        assertSame(Device.CPU, m.params().get(0).value().device(), "nothing moved");
    }
}
