package org.neurite.runtime.cuda;

import java.util.ArrayList;
import java.util.List;
import org.neurite.runtime.CudaProbe;

/** Probe steps scripted per test; records every step called, in order. */
final class FakeProbeSteps implements CudaProbe.Steps {
    static final String NO_CUBLAS = "Error while loading native library \"JCublas2-12.6.0-linux-x86_64\"\n"
            + "java.lang.UnsatisfiedLinkError: no JCublas2-12.6.0-linux-x86_64 in java.library.path: /usr/lib\n"
            + "java.lang.UnsatisfiedLinkError: /tmp/libJCublas2-12.6.0-linux-x86_64.so: libcublas.so.12: "
            + "cannot open shared object file: No such file or directory";
    static final String NO_CUDNN = "Error while loading native library \"JCudnn-12.6.0-linux-x86_64\"\n"
            + "java.lang.UnsatisfiedLinkError: /tmp/libJCudnn-12.6.0-linux-x86_64.so: libcudnn.so.9: "
            + "cannot open shared object file: No such file or directory";

    final List<String> calls = new ArrayList<>();
    int countRc = 0;
    int count = 1;
    int driver = 12060;
    RuntimeException countThrows;
    Error cublasInitThrows;
    Error cudnnInitThrows;
    RuntimeException loadThrows;
    int cublasCreateRc = 0;
    int cudnnCreateRc = 0;

    @Override public int deviceCount(int[] out) {
        calls.add("deviceCount");
        if (countThrows != null) throw countThrows;
        out[0] = count;
        return countRc;
    }

    @Override public int driverVersion() {
        calls.add("driverVersion");
        return driver;
    }

    @Override public String cudaErrorName(int rc) {
        return switch (rc) {
            case 35 -> "cudaErrorInsufficientDriver";
            case 100 -> "cudaErrorNoDevice";
            default -> "cudaErrorUnknown";
        };
    }

    @Override public void loadLibraries() {
        calls.add("loadLibraries");
        if (loadThrows != null) throw loadThrows;
    }

    @Override public void initCublas() {
        calls.add("initCublas");
        if (cublasInitThrows != null) throw cublasInitThrows;
    }

    @Override public void initCudnn() {
        calls.add("initCudnn");
        if (cudnnInitThrows != null) throw cudnnInitThrows;
    }

    @Override public int createCublas() {
        calls.add("createCublas");
        return cublasCreateRc;
    }

    @Override public int createCudnn() {
        calls.add("createCudnn");
        return cudnnCreateRc;
    }

    @Override public void destroyCublas() { calls.add("destroyCublas"); }

    @Override public void destroyCudnn() { calls.add("destroyCudnn"); }

    @Override public String cublasStatusName(int rc) {
        return rc == 1 ? "CUBLAS_STATUS_NOT_INITIALIZED" : "CUBLAS_STATUS_" + rc;
    }

    @Override public String cudnnErrorString(int rc) {
        return rc == 1001 ? "CUDNN_STATUS_NOT_INITIALIZED" : "CUDNN_STATUS_" + rc;
    }
}
