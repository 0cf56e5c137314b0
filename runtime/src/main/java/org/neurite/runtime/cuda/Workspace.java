package org.neurite.runtime.cuda;

/**
 * The one scratch buffer of a device that cuDNN calls share (Caffe and PyTorch keep one per handle):
 * it grows to the largest size asked for and never shrinks. Ops run one after another on the
 * device's stream, so one buffer serves them all; replacing it is stream-ordered too.
 */
public final class Workspace {
    private final CudaAllocator allocator;
    private DeviceBlock block;

    public Workspace(CudaAllocator allocator) {
        this.allocator = allocator;
    }

    /** A block of at least {@code bytes}, or null when {@code bytes} is 0. */
    public synchronized DeviceBlock ensure(long bytes) {
        if (bytes <= 0) return null;
        if (block == null || block.size() < bytes) {
            if (block != null) allocator.free(block);
            block = null;
            block = allocator.allocate(bytes);
        }
        return block;
    }

    /** Bytes now held (0 before the first request). */
    public synchronized long size() {
        return block == null ? 0 : block.size();
    }

    /** Gives the buffer back to the allocator. */
    public synchronized void release() {
        if (block != null) allocator.free(block);
        block = null;
    }
}
