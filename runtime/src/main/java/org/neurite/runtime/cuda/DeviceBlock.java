package org.neurite.runtime.cuda;

/**
 * One live allocation from a {@link CudaAllocator}: a device address and the bytes behind it. Each
 * allocation gets its own handle, so a handle freed twice is caught even when its memory has been
 * handed out again. Pure Java: holds no native object.
 */
public final class DeviceBlock {
    final CudaAllocator owner;
    final CudaAllocator.Chunk chunk;   // the piece of a segment behind this allocation
    private final long requested;
    boolean live = true;

    DeviceBlock(CudaAllocator owner, CudaAllocator.Chunk chunk, long requested) {
        this.owner = owner;
        this.chunk = chunk;
        this.requested = requested;
    }

    /** The device address. */
    public long address() { return chunk.address; }

    /** Bytes reserved for this allocation (the request rounded up to its size class). */
    public long size() { return chunk.size; }

    /** Bytes asked for. */
    public long requested() { return requested; }

    /** False once freed. */
    public boolean isLive() { return live; }

    @Override public String toString() {
        return String.format("DeviceBlock[0x%x, %d bytes%s]", chunk.address, chunk.size, live ? "" : ", freed");
    }
}
