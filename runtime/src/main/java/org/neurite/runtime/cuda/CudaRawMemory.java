package org.neurite.runtime.cuda;

import jcuda.Pointer;
import jcuda.runtime.JCuda;

/** {@link RawDeviceMemory} over {@code cudaMalloc}/{@code cudaFree} on the current device. */
final class CudaRawMemory implements RawDeviceMemory {
    @Override public long malloc(long bytes) {
        Pointer p = new Pointer();
        int rc = JCuda.cudaMalloc(p, bytes);
        if (rc == CudaOutOfMemoryException.CUDA_ERROR_MEMORY_ALLOCATION) {
            JCuda.cudaGetLastError();   // clear it, so the next checked call does not report it
            return 0;
        }
        CudaCheck.cuda(rc, "cudaMalloc(" + bytes + ")");
        return DevicePointer.addressOf(p);
    }

    @Override public void free(long address) {
        CudaCheck.cuda(JCuda.cudaFree(DevicePointer.at(address)), "cudaFree");
    }

    @Override public long[] memInfo() {
        long[] free = {0}, total = {0};
        return JCuda.cudaMemGetInfo(free, total) == 0 ? new long[] {free[0], total[0]} : null;
    }
}
