package org.neurite.models.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurite.runtime.TensorAsserts;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.GpuTest;

/**
 * On a GPU: LeNet-5 moved with {@code Modules.moveTo} trains on CUDA (cuDNN conv/pool, cuBLAS
 * dense, the fused cross-entropy kernel, the SGD kernel) to the weights of the CPU run within
 * float tolerance, and its loss falls; every layer family's module agrees with the CPU one.
 */
@GpuTest
class LeNetCudaGpuTest {
    @Test void aFewStepsOnCudaGiveTheCpuWeights() throws Exception {
        CudaDevice cuda = CudaDevice.shared(0);
        LeNetTrainingCheck.Result cpu = LeNetTrainingCheck.train(org.neurite.runtime.Device.CPU, 5, 7);
        LeNetTrainingCheck.Result gpu = LeNetTrainingCheck.train(cuda, 5, 7);
        List<float[]> a = cpu.weights(), b = gpu.weights();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) TensorAsserts.assertClose("param " + i, a.get(i), b.get(i), 1e-3, 1e-4);
        for (int s = 0; s < 5; s++) assertEquals(cpu.losses()[s], gpu.losses()[s], 1e-3 * cpu.losses()[s], "loss of step " + s);
    }

    @Test void lossFallsOverTwoHundredStepsOnCuda() throws Exception {
        LeNetTrainingCheck.Result r = LeNetTrainingCheck.train(CudaDevice.shared(0), 200, 7);
        assertTrue(r.lossFell(), "first " + r.mean(0, 20) + ", last " + r.mean(180, 200));
    }

    @Test void everyLayerFamilyMatchesTheCpuModule() {
        for (LayerParity.Row row : LayerParity.run(CudaDevice.shared(0), 1e-3)) assertTrue(row.ok(), row.toString());
    }
}
