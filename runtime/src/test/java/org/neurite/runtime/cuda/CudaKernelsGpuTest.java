package org.neurite.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;
import jcuda.runtime.JCuda;
import jcuda.runtime.cudaMemcpyKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neurite.runtime.CudaProbe;
import org.neurite.runtime.Rng;

/** On a GPU: the device opens, every catalogued kernel loads from its PTX, and two kernels match the CPU. */
@GpuTest
class CudaKernelsGpuTest {
    private static CudaDevice device;

    @BeforeAll static void openDevice() {
        CudaProbe.Result r = CudaProbe.probe();
        if (!r.usable()) System.out.println("CudaKernelsGpuTest skipped: " + r.reason());
        Assumptions.assumeTrue(r.usable(), "CUDA not usable: " + r.reason());
        device = CudaDevice.open(0);
        CudaCheck.driver(JCudaDriver.cuInit(0), "cuInit");
    }

    @AfterAll static void closeDevice() {
        if (device != null) device.close();
    }

    private static CUfunction load(KernelCatalog module, String kernel) {
        CUmodule m = new CUmodule();
        CudaCheck.driver(JCudaDriver.cuModuleLoadData(m, module.ptx()), "cuModuleLoadData(" + module.resource() + ")");
        CUfunction f = new CUfunction();
        CudaCheck.driver(JCudaDriver.cuModuleGetFunction(f, m, kernel), "cuModuleGetFunction(" + kernel + ")");
        return f;
    }

    private static Pointer upload(float[] host) {
        Pointer d = new Pointer();
        CudaCheck.cuda(JCuda.cudaMalloc(d, (long) host.length * Sizeof.FLOAT), "cudaMalloc");
        CudaCheck.cuda(JCuda.cudaMemcpy(d, Pointer.to(host), (long) host.length * Sizeof.FLOAT,
                cudaMemcpyKind.cudaMemcpyHostToDevice), "cudaMemcpy");
        return d;
    }

    private static float[] download(Pointer d, int n) {
        float[] host = new float[n];
        CudaCheck.cuda(JCuda.cudaMemcpy(Pointer.to(host), d, (long) n * Sizeof.FLOAT,
                cudaMemcpyKind.cudaMemcpyDeviceToHost), "cudaMemcpy");
        return host;
    }

    private static void launch(CUfunction f, int grid, int block, Pointer params) {
        CudaCheck.driver(JCudaDriver.cuLaunchKernel(f, grid, 1, 1, block, 1, 1, 0, null, params, null), "cuLaunchKernel");
        CudaCheck.cuda(JCuda.cudaDeviceSynchronize(), "cudaDeviceSynchronize");
    }

    @Test void deviceHasBothHandles() {
        assertEquals("cuda:0", device.name());
        assertNotNull(device.cublas());
        assertNotNull(device.cudnn());
        device.synchronize();
    }

    @Test void everyCataloguedKernelLoads() {
        for (KernelCatalog module : KernelCatalog.values()) {
            for (String kernel : module.kernels()) assertNotNull(load(module, kernel));
        }
    }

    @Test void fillWritesEveryElement() {
        int n = 100_003;
        Pointer x = upload(new float[n]);
        launch(load(KernelCatalog.ELEMENTWISE, "fill_f32"), 64, 256,
                Pointer.to(Pointer.to(new int[] {n}), Pointer.to(new float[] {2.5f}), Pointer.to(x)));
        float[] out = download(x, n);
        for (int i = 0; i < n; i++) assertEquals(2.5f, out[i], "index " + i);
        CudaCheck.cuda(JCuda.cudaFree(x), "cudaFree");
    }

    @Test void softmaxCrossEntropyMatchesTheCpu() {
        int rows = 5, cols = 1000;           // logits is (rows, cols)
        Rng rng = new Rng(7);
        float[] logits = new float[rows * cols];
        rng.normal(logits, 0, logits.length, 0f, 3f);
        int[] labels = {0, 999, 17, 500, 3};
        float dscale = 1f / rows;

        Pointer dLogits = upload(logits), dGrad = upload(new float[rows * cols]), dLoss = upload(new float[rows]);
        Pointer dLabels = new Pointer();
        CudaCheck.cuda(JCuda.cudaMalloc(dLabels, rows * Sizeof.INT), "cudaMalloc");
        CudaCheck.cuda(JCuda.cudaMemcpy(dLabels, Pointer.to(labels), rows * Sizeof.INT,
                cudaMemcpyKind.cudaMemcpyHostToDevice), "cudaMemcpy");
        launch(load(KernelCatalog.SOFTMAX_XENT, "softmax_xent_f32"), rows, 256, Pointer.to(
                Pointer.to(new int[] {rows}), Pointer.to(new int[] {cols}), Pointer.to(dLogits), Pointer.to(dLabels),
                Pointer.to(dLoss), Pointer.to(dGrad), Pointer.to(new float[] {dscale})));
        float[] loss = download(dLoss, rows), grad = download(dGrad, rows * cols);

        for (int r = 0; r < rows; r++) {
            double m = Double.NEGATIVE_INFINITY, s = 0;
            for (int j = 0; j < cols; j++) m = Math.max(m, logits[r * cols + j]);
            for (int j = 0; j < cols; j++) s += Math.exp(logits[r * cols + j] - m);
            double expectLoss = Math.log(s) - (logits[r * cols + labels[r]] - m);
            assertEquals(expectLoss, loss[r], 1e-5 + 1e-5 * Math.abs(expectLoss), "loss of row " + r);
            for (int j = 0; j < cols; j++) {
                double p = Math.exp(logits[r * cols + j] - m) / s;
                double expect = dscale * (p - (j == labels[r] ? 1 : 0));
                assertEquals(expect, grad[r * cols + j], 1e-7 + 1e-5 * Math.abs(expect), "dlogits[" + r + ", " + j + "]");
            }
        }
        for (Pointer p : new Pointer[] {dLogits, dGrad, dLoss, dLabels}) CudaCheck.cuda(JCuda.cudaFree(p), "cudaFree");
    }
}
