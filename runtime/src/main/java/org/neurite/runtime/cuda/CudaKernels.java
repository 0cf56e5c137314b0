package org.neurite.runtime.cuda;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * The PTX kernels of one device: each {@link KernelCatalog} module is loaded on first use
 * ({@code cuModuleLoadData} into the device's primary context, which {@code cudaSetDevice} made
 * current) and its functions are looked up once. Launches go on the device's stream.
 */
public final class CudaKernels {
    /** Threads per block of the grid-stride kernels (elementwise.cu's convention). */
    public static final int BLOCK = 256;
    /** Most blocks a grid-stride launch uses. */
    public static final int MAX_GRID = 65535;

    private final CudaDevice device;
    private final CUstream stream;
    private final Map<KernelCatalog, CUmodule> modules = new EnumMap<>(KernelCatalog.class);
    private final Map<String, CUfunction> functions = new HashMap<>();
    private boolean initialised;

    CudaKernels(CudaDevice device) {
        this.device = device;
        this.stream = new CUstream(device.stream());
    }

    /** Blocks for a grid-stride launch over {@code n} elements: ceil(n / 256), between 1 and 65535. */
    public static int gridFor(long n) {
        return (int) Math.max(1, Math.min(MAX_GRID, (n + BLOCK - 1) / BLOCK));
    }

    /** The kernel {@code name} of {@code module}, loading the module on first use. */
    public synchronized CUfunction function(KernelCatalog module, String name) {
        if (!module.kernels().contains(name)) throw new IllegalArgumentException(name + " is not a kernel of " + module.resource());
        String key = module.module() + "/" + name;
        CUfunction f = functions.get(key);
        if (f != null) return f;
        if (!initialised) {
            CudaCheck.driver(JCudaDriver.cuInit(0), "cuInit");
            initialised = true;
        }
        device.makeCurrent();
        CUmodule m = modules.get(module);
        if (m == null) {
            m = new CUmodule();
            CudaCheck.driver(JCudaDriver.cuModuleLoadData(m, module.ptx()), "cuModuleLoadData(" + module.resource() + ")");
            modules.put(module, m);
        }
        f = new CUfunction();
        CudaCheck.driver(JCudaDriver.cuModuleGetFunction(f, m, name), "cuModuleGetFunction(" + name + ")");
        functions.put(key, f);
        return f;
    }

    /** Launches a grid-stride kernel over {@code n} elements with {@code params} ({@code Pointer.to(...)} of each argument). */
    public void launch(KernelCatalog module, String name, long n, Pointer params) {
        launch(module, name, gridFor(n), BLOCK, params);
    }

    /** Launches {@code grid} blocks of {@code block} threads on the device's stream. */
    public void launch(KernelCatalog module, String name, int grid, int block, Pointer params) {
        CUfunction f = function(module, name);
        CudaCheck.driver(JCudaDriver.cuLaunchKernel(f, grid, 1, 1, block, 1, 1, 0, stream, params, null),
                "cuLaunchKernel(" + name + ")");
    }

    /** Unloads the modules. */
    synchronized void release() {
        for (CUmodule m : modules.values()) CudaCheck.driver(JCudaDriver.cuModuleUnload(m), "cuModuleUnload");
        modules.clear();
        functions.clear();
    }
}
