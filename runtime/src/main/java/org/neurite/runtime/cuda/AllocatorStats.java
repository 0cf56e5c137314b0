package org.neurite.runtime.cuda;

/**
 * A snapshot of a {@link CudaAllocator}'s counters (the names follow PyTorch's
 * {@code torch.cuda.memory_stats}: allocated = in use by live blocks, reserved = taken from the
 * device, cached = reserved but unused).
 *
 * @param allocatedBytes     bytes of live blocks (sizes rounded up to their class)
 * @param reservedBytes      bytes of all segments taken from the device
 * @param peakAllocatedBytes the largest {@code allocatedBytes} seen
 * @param peakReservedBytes  the largest {@code reservedBytes} seen
 * @param mallocCalls        device allocations ({@code cudaMalloc}) made, successful or not
 * @param rawFrees           segments given back to the device ({@code cudaFree})
 * @param allocations        requests served
 * @param segments           segments currently held
 */
public record AllocatorStats(long allocatedBytes, long reservedBytes, long peakAllocatedBytes, long peakReservedBytes,
                             long mallocCalls, long rawFrees, long allocations, int segments) {

    /** Reserved but unused bytes: what {@link CudaAllocator#emptyCache()} may give back. */
    public long cachedBytes() { return reservedBytes - allocatedBytes; }
}
