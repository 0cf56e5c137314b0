package org.neurite.models.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.neurite.layers.Mode;
import org.neurite.layers.cuda.FakeGpu;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;

/**
 * The host side of {@link CorruptionCuda} without a GPU: its draws consume the Rng exactly as the CPU
 * {@link Corruption} does (same values, same stream position afterwards), and a device input reaches
 * the CUDA engine (as does {@link Seq2Seq}'s), never the CPU loop.
 */
class CorruptionCudaHostTest {
    private static Tensor ramp(int n) {
        Tensor x = Tensor.zeros(1, n);
        for (int i = 0; i < n; i++) x.set(i, 1f + i * 0.25f);
        return x;
    }

    @Test void maskingDrawIsTheCpuMaskInTheCpuOrder() {
        Tensor x = ramp(1000);
        Rng a = new Rng(5), b = new Rng(5);
        Tensor y = Corruption.masking(0.3, a).forward(x, Mode.TRAIN);
        float[] keep = new float[1000];
        CorruptionCuda.drawKeep(b, 0.3, keep);
        for (int i = 0; i < keep.length; i++) assertEquals(y.get(i), x.get(i) * keep[i], 0f, "element " + i);
        assertEquals(a.nextLong(), b.nextLong(), "both streams are at the same place afterwards");
    }

    @Test void gaussianDrawIsTheCpuNoiseToAFloatRounding() {
        Tensor x = ramp(1000);
        Rng a = new Rng(6), b = new Rng(6);
        Tensor y = Corruption.gaussian(0.2, a).forward(x, Mode.TRAIN);
        float[] noise = new float[1000];
        CorruptionCuda.drawNoise(b, 0.2, noise);
        for (int i = 0; i < noise.length; i++) {
            float onDevice = x.get(i) + noise[i];
            assertEquals(y.get(i), onDevice, Math.ulp(y.get(i)), "element " + i);
        }
        assertEquals(a.nextLong(), b.nextLong(), "both streams are at the same place afterwards");
    }

    @Test void aDeviceInputReachesTheCudaEngineInTrainingAndPassesThroughInEvaluation() {
        FakeGpu gpu = new FakeGpu();
        Tensor x = gpu.tensor(2, 1, 4, 4);
        for (Corruption c : new Corruption[] {Corruption.masking(0.3, new Rng(1)), Corruption.gaussian(0.1, new Rng(1))}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.forward(x, Mode.TRAIN));
            assertEquals("fake:0 is not a CUDA device", e.getMessage());
            assertSame(x, c.forward(x, Mode.EVAL));
        }
        Seq2Seq s2s = new Seq2Seq(new Seq2Seq.Config(5, 6, 3, 4, 1, 2), new Rng(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s2s.forward(gpu.tensor(5, 2), Mode.TRAIN));
        assertEquals("fake:0 is not a CUDA device", e.getMessage());
    }
}
