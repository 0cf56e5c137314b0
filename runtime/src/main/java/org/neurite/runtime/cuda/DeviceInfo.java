package org.neurite.runtime.cuda;

import java.util.ArrayList;
import java.util.List;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcudnn.JCudnn;
import jcuda.runtime.JCuda;
import jcuda.runtime.cudaDeviceProp;
import org.neurite.runtime.CudaProbe;
import org.neurite.runtime.Parallel;

/**
 * What {@code neurite devices} prints: the CPU thread count, and either the CUDA devices with the
 * driver, runtime, cuBLAS and cuDNN versions, or the one-line reason CUDA cannot be used.
 *
 * @param cudaUsable     the probe's verdict
 * @param reason         the probe's one line (why not, or what was found)
 * @param cpuThreads     threads the CPU engine uses
 * @param driverVersion  CUDA version the driver supports (12060 = 12.6); 0 when unknown
 * @param runtimeVersion CUDA runtime version JCuda was built against; 0 when unknown
 * @param cublasVersion  e.g. 120603 (12.6.3); 0 when unknown
 * @param cudnnVersion   e.g. 90501 (9.5.1); 0 when unknown
 * @param gpus           one entry per CUDA device; empty when CUDA is not usable
 */
public record DeviceInfo(boolean cudaUsable, String reason, int cpuThreads, int driverVersion, int runtimeVersion,
                         long cublasVersion, long cudnnVersion, List<Gpu> gpus) {

    /**
     * One CUDA device.
     *
     * @param index          the ordinal ({@code cuda:index})
     * @param name           e.g. "NVIDIA H100 80GB HBM3"
     * @param totalMemory    bytes of device memory
     * @param major          compute capability, major
     * @param minor          compute capability, minor
     * @param multiprocessors streaming multiprocessors
     */
    public record Gpu(int index, String name, long totalMemory, int major, int minor, int multiprocessors) { }

    public DeviceInfo {
        gpus = List.copyOf(gpus);
    }

    /** Probes (once per JVM) and, when CUDA is usable, asks each device for its properties. */
    public static DeviceInfo query() {
        CudaProbe.Result r = CudaProbe.probe();
        int threads = Parallel.threads();
        if (!r.usable()) return new DeviceInfo(false, r.reason(), threads, 0, 0, 0, 0, List.of());
        int[] v = {0};
        CudaCheck.cuda(JCuda.cudaDriverGetVersion(v), "cudaDriverGetVersion");
        int driver = v[0];
        CudaCheck.cuda(JCuda.cudaRuntimeGetVersion(v), "cudaRuntimeGetVersion");
        int runtime = v[0];
        List<Gpu> gpus = new ArrayList<>();
        for (int i = 0; i < r.deviceCount(); i++) {
            cudaDeviceProp p = new cudaDeviceProp();
            CudaCheck.cuda(JCuda.cudaGetDeviceProperties(p, i), "cudaGetDeviceProperties");
            gpus.add(new Gpu(i, p.getName(), p.totalGlobalMem, p.major, p.minor, p.multiProcessorCount));
        }
        return new DeviceInfo(true, r.reason(), threads, driver, runtime, queryCublasVersion(), JCudnn.cudnnGetVersion(), gpus);
    }

    private static long queryCublasVersion() {
        cublasHandle h = new cublasHandle();
        CudaCheck.cublas(JCublas2.cublasCreate(h), "cublasCreate");
        try {
            int[] v = {0};
            CudaCheck.cublas(JCublas2.cublasGetVersion(h, v), "cublasGetVersion");
            return v[0];
        } finally {
            CudaCheck.cublas(JCublas2.cublasDestroy(h), "cublasDestroy");
        }
    }

    /** The report, one line per item. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("cpu: " + cpuThreads + " threads");
        if (!cudaUsable) {
            out.add("cuda: not usable: " + reason);
            return out;
        }
        out.add("cuda: driver supports CUDA " + CudaReasons.cudaVersion(driverVersion)
                + ", runtime " + CudaReasons.cudaVersion(runtimeVersion)
                + ", cuBLAS " + CudaReasons.cublasVersion(cublasVersion)
                + ", cuDNN " + CudaReasons.cudnnVersion(cudnnVersion));
        for (Gpu g : gpus) {
            out.add(String.format("cuda:%d: %s, %.1f GiB, compute capability %d.%d, %d SMs",
                    g.index(), g.name(), g.totalMemory() / (double) (1L << 30), g.major(), g.minor(), g.multiprocessors()));
        }
        return out;
    }
}
