package org.neurite.runtime.cuda;

/**
 * The raw device memory a {@link CudaAllocator} carves up: {@code cudaMalloc} and {@code cudaFree}
 * on a real device ({@link CudaRawMemory}), a fake with a capacity limit in tests. Addresses are
 * plain numbers so the allocator's bookkeeping needs no native class.
 */
public interface RawDeviceMemory {
    /**
     * Allocates {@code bytes}; returns the address, or 0 when the device has not enough free memory
     * (the allocator then releases its cache and tries once more). Any other failure throws.
     */
    long malloc(long bytes);

    /** Frees an address returned by {@link #malloc}. */
    void free(long address);

    /** {@code {free, total}} bytes as the device reports them, for error messages; null when unknown. */
    default long[] memInfo() { return null; }
}
