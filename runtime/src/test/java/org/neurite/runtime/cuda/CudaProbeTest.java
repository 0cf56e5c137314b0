package org.neurite.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurite.runtime.CudaProbe;

/** The probe's decision logic, one test per stage that can fail, over scripted steps. */
class CudaProbeTest {
    private static final List<String> ALL_STAGES = List.of("deviceCount", "loadLibraries", "initCublas",
            "initCudnn", "createCublas", "createCudnn", "destroyCudnn", "destroyCublas");

    @Test void noDriverStopsAtTheCount() {
        FakeProbeSteps s = new FakeProbeSteps();
        s.countRc = 35;
        s.count = 0;
        s.driver = 0;
        CudaProbe.Result r = CudaProbe.run(s);
        assertFalse(r.usable());
        assertEquals("no NVIDIA driver (cudaGetDeviceCount: cudaErrorInsufficientDriver)", r.reason());
        assertEquals(List.of("deviceCount", "driverVersion"), s.calls);
    }

    @Test void oldDriverSaysWhichCudaItSupports() {
        FakeProbeSteps s = new FakeProbeSteps();
        s.countRc = 35;
        s.driver = 11040;
        CudaProbe.Result r = CudaProbe.run(s);
        assertEquals("NVIDIA driver too old: it supports CUDA 11.4, Neurite needs 12.0 or newer "
                + "(cudaGetDeviceCount: cudaErrorInsufficientDriver)", r.reason());
        assertEquals(0, r.deviceCount());
    }

    @Test void noDeviceErrorCode() {
        FakeProbeSteps s = new FakeProbeSteps();
        s.countRc = 100;
        assertEquals("no CUDA device (cudaGetDeviceCount: cudaErrorNoDevice)", CudaProbe.run(s).reason());
        assertEquals(List.of("deviceCount"), s.calls);
    }

    @Test void zeroDevices() {
        FakeProbeSteps s = new FakeProbeSteps();
        s.count = 0;
        CudaProbe.Result r = CudaProbe.run(s);
        assertFalse(r.usable());
        assertEquals("no CUDA device", r.reason());
        assertEquals(List.of("deviceCount"), s.calls);
    }

    @Test void jcudaItselfMissing() {
        FakeProbeSteps s = new FakeProbeSteps();
        s.countThrows = new IllegalStateException("no natives for this platform\nsecond line");
        CudaProbe.Result r = CudaProbe.run(s);
        assertEquals("JCuda runtime not available: IllegalStateException: no natives for this platform", r.reason());
    }

    @Test void cublasClassInitFailureNamesTheLibraryAndTouchesNothingLater() {
        FakeProbeSteps s = new FakeProbeSteps();
        s.cublasInitThrows = new UnsatisfiedLinkError(FakeProbeSteps.NO_CUBLAS);
        CudaProbe.Result r = CudaProbe.run(s);
        assertFalse(r.usable());
        assertEquals("libcublas.so.12 not found", r.reason());
        assertEquals(1, r.deviceCount());
        assertEquals(List.of("deviceCount", "loadLibraries", "initCublas"), s.calls);
    }

    @Test void laterTouchOfAFailedClassStillGivesAReason() {
        FakeProbeSteps s = new FakeProbeSteps();
        s.cublasInitThrows = new NoClassDefFoundError("Could not initialize class jcuda.jcublas.JCublas2");
        assertEquals("cuBLAS failed to load: NoClassDefFoundError: Could not initialize class jcuda.jcublas.JCublas2",
                CudaProbe.run(s).reason());
    }

    @Test void cudnnClassInitFailure() {
        FakeProbeSteps s = new FakeProbeSteps();
        s.cudnnInitThrows = new UnsatisfiedLinkError(FakeProbeSteps.NO_CUDNN);
        CudaProbe.Result r = CudaProbe.run(s);
        assertEquals("libcudnn.so.9 not found", r.reason());
        assertEquals(List.of("deviceCount", "loadLibraries", "initCublas", "initCudnn"), s.calls);
    }

    @Test void libraryFolderFailure() {
        FakeProbeSteps s = new FakeProbeSteps();
        s.loadThrows = new CudaLibraries.LoadException("libcublasLt.so.12 not found in /opt/x (--cuda-libs / NEURITE_CUDA_LIBS)", null);
        assertEquals("libcublasLt.so.12 not found in /opt/x (--cuda-libs / NEURITE_CUDA_LIBS)", CudaProbe.run(s).reason());
        assertEquals(List.of("deviceCount", "loadLibraries"), s.calls);
    }

    @Test void cublasCreateFailureDestroysNothingAndSkipsCudnn() {
        FakeProbeSteps s = new FakeProbeSteps();
        s.cublasCreateRc = 1;
        CudaProbe.Result r = CudaProbe.run(s);
        assertEquals("cublasCreate failed: CUBLAS_STATUS_NOT_INITIALIZED (1)", r.reason());
        assertEquals(List.of("deviceCount", "loadLibraries", "initCublas", "initCudnn", "createCublas"), s.calls);
    }

    @Test void cudnnCreateFailureReportsCudnn9CodeAndNeverUsesTheFailedHandle() {
        FakeProbeSteps s = new FakeProbeSteps();
        s.cudnnCreateRc = 1001;
        CudaProbe.Result r = CudaProbe.run(s);
        assertFalse(r.usable());
        assertEquals("cudnnCreate failed: CUDNN_STATUS_NOT_INITIALIZED (1001)", r.reason());
        // The cuBLAS handle is released; the failed cuDNN handle is never passed anywhere.
        assertEquals(List.of("deviceCount", "loadLibraries", "initCublas", "initCudnn", "createCublas",
                "createCudnn", "destroyCublas"), s.calls);
    }

    @Test void successRunsEveryStageOnceAndReleasesBothHandles() {
        FakeProbeSteps s = new FakeProbeSteps();
        s.count = 2;
        CudaProbe.Result r = CudaProbe.run(s);
        assertTrue(r.usable());
        assertEquals(2, r.deviceCount());
        assertEquals("2 CUDA devices, cuBLAS and cuDNN ready", r.reason());
        assertEquals(ALL_STAGES, s.calls);
    }
}
