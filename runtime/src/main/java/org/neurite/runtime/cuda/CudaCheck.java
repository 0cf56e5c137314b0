package org.neurite.runtime.cuda;

import jcuda.driver.JCudaDriver;
import jcuda.jcublas.cublasStatus;
import jcuda.jcudnn.JCudnn;
import jcuda.runtime.JCuda;

/**
 * The one checker every native call's return code goes through (llm.c's {@code cudaCheck}, Caffe's
 * {@code CUDNN_CHECK}): a non-zero code becomes a {@link CudaException} naming the call. Output
 * arguments of a failed call are garbage (JCuda writes them anyway), so callers read them only after
 * the check.
 *
 * <p>cuDNN codes are reported with {@code JCudnn.cudnnGetErrorString}; JCudnn's {@code cudnnStatus}
 * holds cuDNN 8's numbers and is never used.
 */
public final class CudaCheck {
    private CudaCheck() { }

    /** Checks a CUDA runtime call, e.g. {@code cuda(JCuda.cudaSetDevice(i), "cudaSetDevice")}. */
    public static void cuda(int rc, String call) {
        if (rc != 0) {
            throw new CudaException(call + " failed: " + JCuda.cudaGetErrorName(rc) + " (" + JCuda.cudaGetErrorString(rc) + ")", rc);
        }
    }

    /** Checks a CUDA driver API call (module loading and kernel launches). */
    public static void driver(int rc, String call) {
        if (rc != 0) {
            String[] name = {null};
            String n = JCudaDriver.cuGetErrorName(rc, name) == 0 ? name[0] : "CUresult " + rc;
            throw new CudaException(call + " failed: " + n + " (" + rc + ")", rc);
        }
    }

    /** Checks a cuBLAS call. */
    public static void cublas(int rc, String call) {
        if (rc != 0) throw new CudaException(call + " failed: " + cublasStatus.stringFor(rc) + " (" + rc + ")", rc);
    }

    /** Checks a cuDNN call. */
    public static void cudnn(int rc, String call) {
        if (rc != 0) throw new CudaException(call + " failed: " + JCudnn.cudnnGetErrorString(rc) + " (" + rc + ")", rc);
    }
}
