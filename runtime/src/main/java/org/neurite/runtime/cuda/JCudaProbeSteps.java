package org.neurite.runtime.cuda;

import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasStatus;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnHandle;
import jcuda.runtime.JCuda;
import org.neurite.runtime.CudaProbe;

/**
 * The probe's stages over the real JCuda, JCublas2 and JCudnn classes. Each method touches only the
 * class its stage is about, so a failed stage leaves the later classes unloaded. Exceptions stay off
 * in all three libraries (CUDA-NOTES: JCudnn would throw on cuDNN 9's status numbers); return codes
 * are checked by the caller.
 */
public final class JCudaProbeSteps implements CudaProbe.Steps {
    private cublasHandle cublas;
    private cudnnHandle cudnn;

    @Override public int deviceCount(int[] count) {
        JCuda.setExceptionsEnabled(false);
        return JCuda.cudaGetDeviceCount(count);
    }

    @Override public int driverVersion() {
        int[] v = {0};
        return JCuda.cudaDriverGetVersion(v) == 0 ? v[0] : 0;
    }

    @Override public String cudaErrorName(int rc) {
        return JCuda.cudaGetErrorName(rc);
    }

    @Override public void loadLibraries() {
        CudaLibraries.load();
    }

    @Override public void initCublas() {
        JCublas2.setExceptionsEnabled(false);
    }

    @Override public void initCudnn() {
        JCudnn.setExceptionsEnabled(false);
    }

    @Override public int createCublas() {
        cublasHandle h = new cublasHandle();
        int rc = JCublas2.cublasCreate(h);
        if (rc == 0) cublas = h;
        return rc;
    }

    @Override public int createCudnn() {
        cudnnHandle h = new cudnnHandle();
        int rc = JCudnn.cudnnCreate(h);
        if (rc == 0) cudnn = h;
        return rc;
    }

    @Override public void destroyCublas() {
        if (cublas != null) JCublas2.cublasDestroy(cublas);
        cublas = null;
    }

    @Override public void destroyCudnn() {
        if (cudnn != null) JCudnn.cudnnDestroy(cudnn);
        cudnn = null;
    }

    @Override public String cublasStatusName(int rc) {
        return cublasStatus.stringFor(rc);
    }

    @Override public String cudnnErrorString(int rc) {
        return JCudnn.cudnnGetErrorString(rc);
    }
}
