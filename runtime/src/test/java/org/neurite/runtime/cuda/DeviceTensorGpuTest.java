package org.neurite.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jcuda.Pointer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neurite.runtime.Blas;
import org.neurite.runtime.CudaProbe;
import org.neurite.runtime.Device;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.TensorAsserts;

/** On a GPU: device tensors round-trip, fill, copy and free through the allocator; cuBLAS GEMM matches the CPU. */
@GpuTest
class DeviceTensorGpuTest {
    private static CudaDevice cuda;

    @BeforeAll static void openDevice() {
        CudaProbe.Result r = CudaProbe.probe();
        if (!r.usable()) System.out.println("DeviceTensorGpuTest skipped: " + r.reason());
        Assumptions.assumeTrue(r.usable(), "CUDA not usable: " + r.reason());
        cuda = CudaDevice.shared(0);
    }

    private static float[] random(int n, long seed) {
        float[] a = new float[n];
        new Rng(seed).normal(a, 0, n, 0f, 1f);
        return a;
    }

    @Test void uploadDownloadRoundTripsAcrossSeveralStagingChunks() {
        int n = 2 * PinnedStaging.CHUNK_FLOATS + 12345;
        float[] host = random(n, 1);
        Tensor d = Tensor.wrap(Shape.of(n), host).toDevice(cuda);
        assertSame(cuda, d.device());
        assertArrayEquals(host, d.toCpu().data());
        d.close();
    }

    @Test void zerosFillCopyAndReshape() {
        Tensor z = Tensor.zeros(Shape.of(3, 1000), cuda);
        assertArrayEquals(new float[3000], z.toCpu().data());
        z.fill(1.5f);
        Tensor c = z.copy();
        Tensor r = c.reshape(Shape.of(3000));
        float[] back = r.toCpu().data();
        for (int i = 0; i < back.length; i++) assertEquals(1.5f, back[i], "index " + i);
        Tensor host = Tensor.zeros(3, 1000);
        host.copyFrom(z);
        assertEquals(1.5f, host.get(2999));
        assertThrows(IllegalStateException.class, () -> z.get(0));
        for (Tensor t : new Tensor[] {z, c, r}) t.close();
    }

    @Test void closedTensorsAreReusedByTheAllocator() {
        CudaAllocator a = cuda.allocator();
        Tensor t = Tensor.zeros(Shape.of(256, 256), cuda);
        long before = a.stats().mallocCalls();
        long address = t.deviceStorage().address();
        t.close();
        Tensor u = Tensor.zeros(Shape.of(256, 256), cuda);
        assertEquals(address, u.deviceStorage().address());
        assertEquals(before, a.stats().mallocCalls());
        u.close();
    }

    @Test void cublasGemmMatchesTheCpuForEveryTransposeCombination() {
        int m = 37, n = 29, k = 53;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                float[] a = random(m * k, 2), b = random(k * n, 3), c = new float[m * n];
                int lda = ta ? m : k, ldb = tb ? k : n;
                Blas.sgemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
                Tensor da = Tensor.wrap(Shape.of(m * k), a).toDevice(cuda), db = Tensor.wrap(Shape.of(k * n), b).toDevice(cuda);
                Tensor dc = Tensor.zeros(Shape.of(m * n), cuda);
                Pointer pa = CudaTensors.pointer(da), pb = CudaTensors.pointer(db), pc = CudaTensors.pointer(dc);
                CublasGemm.sgemm(cuda, ta, tb, m, n, k, 1f, pa, lda, pb, ldb, 0f, pc, n);
                TensorAsserts.assertClose("C (transA=" + ta + ", transB=" + tb + ")", c, dc.toCpu().data(), 1e-4, 1e-4);
                for (Tensor t : new Tensor[] {da, db, dc}) t.close();
            }
        }
    }

    @Test void aCpuTensorIsNotADeviceOperand() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CudaTensors.operand(Tensor.zeros(2), cuda, "Test", "y"));
        assertEquals(true, e.getMessage().startsWith("Test: y [2] is on cpu, expected cuda:0"), e.getMessage());
        assertSame(Device.CPU, Tensor.zeros(2).device());
    }
}
