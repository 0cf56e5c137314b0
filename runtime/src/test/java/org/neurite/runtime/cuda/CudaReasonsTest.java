package org.neurite.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reason lines, version formatting, the library folder and the device report, all without a GPU. */
class CudaReasonsTest {
    @Test void findsTheMissingLibraryInNestedJCudaMessages() {
        Throwable t = new RuntimeException("wrapper", new UnsatisfiedLinkError(FakeProbeSteps.NO_CUBLAS));
        assertEquals("libcublas.so.12", CudaReasons.missingLibrary(t));
        assertEquals("libcublasLt.so.12", CudaReasons.missingLibrary(new UnsatisfiedLinkError(
                "/x/libcublas.so.12: libcublasLt.so.12: cannot open shared object file: No such file or directory")));
        assertNull(CudaReasons.missingLibrary(new UnsatisfiedLinkError("undefined symbol: cudnnFoo")));
    }

    @Test void versions() {
        assertEquals("12.6", CudaReasons.cudaVersion(12060));
        assertEquals("13.0", CudaReasons.cudaVersion(13000));
        assertEquals("12.6.3", CudaReasons.cublasVersion(120603));
        assertEquals("9.5.1", CudaReasons.cudnnVersion(90501));
        assertEquals("8.9.7", CudaReasons.cudnnVersion(8907));
    }

    @Test void libraryFolderWithoutTheLibraries(@TempDir Path dir) {
        CudaLibraries.useDir(dir);
        try {
            CudaLibraries.LoadException e = assertThrows(CudaLibraries.LoadException.class, CudaLibraries::load);
            assertEquals("libcublasLt.so.12 not found in " + dir + " (--cuda-libs / NEURITE_CUDA_LIBS)", e.getMessage());
        } finally {
            CudaLibraries.useDir(null);
        }
    }

    @Test void libraryFolderWithABrokenLibrary(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("libcublasLt.so.12"), "not an ELF file");
        CudaLibraries.useDir(dir);
        try {
            CudaLibraries.LoadException e = assertThrows(CudaLibraries.LoadException.class, CudaLibraries::load);
            assertEquals(dir.resolve("libcublasLt.so.12") + " is not a shared library", e.getMessage());
        } finally {
            CudaLibraries.useDir(null);
        }
    }

    @Test void deviceReportWithGpus() {
        DeviceInfo info = new DeviceInfo(true, "1 CUDA device, cuBLAS and cuDNN ready", 16, 12080, 12060, 120603, 90501,
                List.of(new DeviceInfo.Gpu(0, "NVIDIA H100 80GB HBM3", 85_520_809_984L, 9, 0, 132)));
        assertEquals(List.of(
                "cpu: 16 threads",
                "cuda: driver supports CUDA 12.8, runtime 12.6, cuBLAS 12.6.3, cuDNN 9.5.1",
                "cuda:0: NVIDIA H100 80GB HBM3, 79.6 GiB, compute capability 9.0, 132 SMs"), info.lines());
    }

    @Test void deviceReportWithoutCuda() {
        DeviceInfo info = new DeviceInfo(false, "libcudnn.so.9 not found", 2, 0, 0, 0, 0, List.of());
        assertEquals(List.of("cpu: 2 threads", "cuda: not usable: libcudnn.so.9 not found"), info.lines());
    }
}
