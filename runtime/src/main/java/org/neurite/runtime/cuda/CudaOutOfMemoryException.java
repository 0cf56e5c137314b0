package org.neurite.runtime.cuda;

/**
 * The device could not give the allocator the memory a request needed, even after the allocator
 * released its cache. The message states the bytes asked for, in use and cached (PyTorch's model).
 */
public final class CudaOutOfMemoryException extends CudaException {
    /** {@code cudaErrorMemoryAllocation}. */
    public static final int CUDA_ERROR_MEMORY_ALLOCATION = 2;

    private final long requested;
    private final long inUse;
    private final long cached;

    CudaOutOfMemoryException(String message, long requested, long inUse, long cached) {
        super(message, CUDA_ERROR_MEMORY_ALLOCATION);
        this.requested = requested;
        this.inUse = inUse;
        this.cached = cached;
    }

    /** Bytes the failed request asked for. */
    public long requested() { return requested; }

    /** Bytes held by live allocations when it failed. */
    public long inUse() { return inUse; }

    /** Bytes reserved from the device but unused (the allocator's cache) when it failed. */
    public long cached() { return cached; }
}
