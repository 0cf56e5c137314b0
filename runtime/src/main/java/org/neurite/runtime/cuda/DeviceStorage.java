package org.neurite.runtime.cuda;

/**
 * The device memory behind one or more {@link org.neurite.runtime.Tensor}s (a tensor and its
 * reshapes share it): a block of the device's {@link CudaAllocator}, reference-counted, returned to
 * the allocator when the last tensor over it is closed. Pure Java, so the CPU path can name it
 * without loading JCuda.
 */
public final class DeviceStorage {
    private final CudaAllocator allocator;
    private final DeviceBlock block;
    private int refs = 1;
    private Object pointer;     // a cached jcuda Pointer (typed Object to keep JCuda out of this class)

    /** Storage over {@code block}, owned by one tensor. */
    public DeviceStorage(CudaAllocator allocator, DeviceBlock block) {
        this.allocator = allocator;
        this.block = block;
    }

    /** The device address. */
    public long address() { return block.address(); }

    /** Bytes asked for (the tensor's size times 4). */
    public long bytes() { return block.requested(); }

    /** True until the last reference is released. */
    public synchronized boolean isLive() { return refs > 0; }

    /** One more tensor uses this storage. */
    public synchronized void retain() {
        if (refs <= 0) throw new IllegalStateException("device storage " + block + " was already released");
        refs++;
    }

    /** One tensor is done with it; the last one returns the block to the allocator. */
    public synchronized void release() {
        if (refs <= 0) throw new IllegalStateException("device storage " + block + " released twice");
        if (--refs == 0) allocator.free(block);
    }

    synchronized Object cachedPointer() { return pointer; }

    synchronized void cachePointer(Object p) { pointer = p; }

    @Override public String toString() { return "DeviceStorage[" + block + ", refs " + refs + "]"; }
}
