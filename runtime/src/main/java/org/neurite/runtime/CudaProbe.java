package org.neurite.runtime;

import java.nio.file.Path;
import org.neurite.runtime.cuda.CudaLibraries;
import org.neurite.runtime.cuda.CudaReasons;
import org.neurite.runtime.cuda.JCudaProbeSteps;

/**
 * Finds out once whether the CUDA engine can run here, and if not, says why in one line.
 *
 * <p>The order is the one in {@code shared/CUDA-NOTES.md}: {@code cudaGetDeviceCount} must return 0
 * with at least one device; then the optional library folder is loaded ({@link #useLibraryDir});
 * then the classes {@code JCublas2} and {@code JCudnn} are initialised (this loads
 * {@code libcublas.so.12} and {@code libcudnn.so.9}); then {@code cublasCreate} and
 * {@code cudnnCreate} must both return 0. Every stage catches {@link Throwable}; the first failure
 * ends the probe, and later stages (and every later probe) never touch those classes again. The
 * answer is remembered for the life of the JVM.
 *
 * <p>Nothing here loads a native library until {@link #probe()} is called, so the CPU path never
 * does.
 */
public final class CudaProbe {
    /**
     * The probe's answer.
     *
     * @param usable      true when every stage succeeded
     * @param reason      one line: why CUDA is not usable, or a summary of what was found
     * @param deviceCount CUDA devices seen (0 when the count itself failed)
     */
    public record Result(boolean usable, String reason, int deviceCount) {
        static Result unusable(String reason, int deviceCount) {
            return new Result(false, reason, deviceCount);
        }
    }

    /**
     * The probe's native steps, one method per stage, so the decision logic can be tested with
     * fakes. Methods that touch a native library may throw anything; the probe catches it.
     */
    public interface Steps {
        /** {@code cudaGetDeviceCount}: its return code, and the count in {@code count[0]}. */
        int deviceCount(int[] count);

        /** {@code cudaDriverGetVersion}: the CUDA version the driver supports (e.g. 12060), 0 when none. */
        int driverVersion();

        /** The CUDA runtime's name for an error code, e.g. {@code cudaErrorInsufficientDriver}. */
        String cudaErrorName(int rc);

        /** Loads the libraries of a configured folder ({@link #useLibraryDir}); does nothing without one. */
        void loadLibraries();

        /** Initialises the class {@code JCublas2} (loads libcublas). */
        void initCublas();

        /** Initialises the class {@code JCudnn} (loads libcudnn). */
        void initCudnn();

        /** {@code cublasCreate}; on 0 the step keeps the handle until {@link #destroyCublas()}. */
        int createCublas();

        /** {@code cudnnCreate}; on 0 the step keeps the handle until {@link #destroyCudnn()}. */
        int createCudnn();

        /** Destroys the handle of a successful {@link #createCublas()}. */
        void destroyCublas();

        /** Destroys the handle of a successful {@link #createCudnn()}. */
        void destroyCudnn();

        /** cuBLAS's name for a status, e.g. {@code CUBLAS_STATUS_NOT_INITIALIZED}. */
        String cublasStatusName(int rc);

        /** {@code cudnnGetErrorString(rc)}. */
        String cudnnErrorString(int rc);
    }

    private static Result result;

    private CudaProbe() { }

    /**
     * Uses the cuBLAS and cuDNN libraries in {@code dir} ({@code --cuda-libs DIR}): the probe
     * {@code System.load}s libcublasLt, libcublas and libcudnn from there before it first touches
     * JCublas2 or JCudnn. Without a call, the environment variable {@code NEURITE_CUDA_LIBS} is used
     * when set. Must be called before the first {@link #probe()}.
     */
    public static synchronized void useLibraryDir(Path dir) {
        if (result != null) throw new IllegalStateException("the CUDA probe has already run; set the library folder first");
        CudaLibraries.useDir(dir);
    }

    /** The answer, probing with the real JCuda steps on the first call. */
    public static synchronized Result probe() {
        if (result == null) result = run(new JCudaProbeSteps());
        return result;
    }

    /** Runs the probe's stages over {@code steps} once, without remembering the answer. */
    public static Result run(Steps steps) {
        int[] count = {0};
        int rc;
        try {
            rc = steps.deviceCount(count);
        } catch (Throwable t) {
            return Result.unusable("JCuda runtime not available: " + CudaReasons.describe(t), 0);
        }
        if (rc != 0) return Result.unusable(countFailure(steps, rc), 0);
        int n = count[0];
        if (n <= 0) return Result.unusable("no CUDA device", 0);

        String failed = stage("cuda libraries", steps::loadLibraries);
        if (failed == null) failed = stage("cuBLAS", steps::initCublas);
        if (failed == null) failed = stage("cuDNN", steps::initCudnn);
        if (failed != null) return Result.unusable(failed, n);
        return createHandles(steps, n);
    }

    private static String countFailure(Steps steps, int rc) {
        String call = "cudaGetDeviceCount: " + safeName(steps, rc);
        if (rc == CudaReasons.CUDA_ERROR_NO_DEVICE) return "no CUDA device (" + call + ")";
        if (rc == CudaReasons.CUDA_ERROR_INSUFFICIENT_DRIVER) {
            int driver;
            try {
                driver = steps.driverVersion();
            } catch (Throwable t) {
                driver = 0;
            }
            if (driver <= 0) return "no NVIDIA driver (" + call + ")";
            return "NVIDIA driver too old: it supports CUDA " + CudaReasons.cudaVersion(driver)
                    + ", Neurite needs 12.0 or newer (" + call + ")";
        }
        return "CUDA runtime failed (" + call + ")";
    }

    private static String safeName(Steps steps, int rc) {
        try {
            return steps.cudaErrorName(rc);
        } catch (Throwable t) {
            return "error " + rc;
        }
    }

    /** Runs one stage; null when it succeeded, else the reason. */
    private static String stage(String what, Runnable body) {
        try {
            body.run();
            return null;
        } catch (Throwable t) {
            return CudaReasons.describeLoadFailure(what, t);
        }
    }

    /** Releases a probe handle; a failure there changes nothing about the answer. */
    private static void quietly(Runnable destroy) {
        try {
            destroy.run();
        } catch (Throwable ignored) {
            // the handle leaks; the probe's answer stands
        }
    }

    private static Result createHandles(Steps steps, int n) {
        int rc;
        try {
            rc = steps.createCublas();
        } catch (Throwable t) {
            return Result.unusable("cublasCreate failed: " + CudaReasons.describe(t), n);
        }
        if (rc != 0) return Result.unusable("cublasCreate failed: " + steps.cublasStatusName(rc) + " (" + rc + ")", n);
        try {
            try {
                rc = steps.createCudnn();
            } catch (Throwable t) {
                return Result.unusable("cudnnCreate failed: " + CudaReasons.describe(t), n);
            }
            if (rc != 0) return Result.unusable("cudnnCreate failed: " + steps.cudnnErrorString(rc) + " (" + rc + ")", n);
            quietly(steps::destroyCudnn);
        } finally {
            quietly(steps::destroyCublas);
        }
        return new Result(true, n + " CUDA device" + (n == 1 ? "" : "s") + ", cuBLAS and cuDNN ready", n);
    }
}
