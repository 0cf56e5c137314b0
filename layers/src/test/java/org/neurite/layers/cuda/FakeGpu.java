package org.neurite.layers.cuda;

import org.neurite.runtime.Device;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.cuda.CudaAllocator;
import org.neurite.runtime.cuda.DeviceStorage;
import org.neurite.runtime.cuda.RawDeviceMemory;

/**
 * A CUDA-kind device that is not a {@code CudaDevice}, with a fake allocator: tensors "on" it have
 * device storage (shared, reference-counted, released to the allocator) but no memory behind it.
 * Host tests use it to check which engine a module picks and how long views keep storage alive.
 */
public final class FakeGpu implements Device {
    public final CudaAllocator allocator = new CudaAllocator("fake:0", new RawDeviceMemory() {
        private long next = 0x7f00_0000_0000L;

        @Override public long malloc(long bytes) {
            long a = next;
            next += bytes + (1 << 20);
            return a;
        }

        @Override public void free(long address) { }
    });

    @Override public Kind kind() { return Kind.CUDA; }

    @Override public String name() { return "fake:0"; }

    @Override public String toString() { return "fake:0"; }

    /** A tensor on this device over a fresh block (contents undefined: nothing reads them). */
    public Tensor tensor(int... dims) {
        Shape s = Shape.of(dims);
        return Tensor.ofDeviceStorage(s, this, new DeviceStorage(allocator, allocator.allocate(4L * Math.max(1, s.size()))));
    }

    /** Bytes the allocator has handed out and not had back. */
    public long allocated() { return allocator.stats().allocatedBytes(); }
}
