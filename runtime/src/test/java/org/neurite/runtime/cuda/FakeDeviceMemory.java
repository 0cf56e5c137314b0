package org.neurite.runtime.cuda;

import java.util.HashMap;
import java.util.Map;

/** Device memory for tests: a byte capacity, addresses handed out upwards, and a record of every call. */
final class FakeDeviceMemory implements RawDeviceMemory {
    private final long capacity;
    private final Map<Long, Long> live = new HashMap<>();
    private long next = 0x7f00_0000_0000L;
    private long used;
    int mallocs;
    int frees;

    FakeDeviceMemory(long capacity) {
        this.capacity = capacity;
    }

    @Override public long malloc(long bytes) {
        mallocs++;
        if (used + bytes > capacity) return 0;
        long a = next;
        next += bytes + (1 << 20);          // a gap, so adjacent segments are never contiguous
        live.put(a, bytes);
        used += bytes;
        return a;
    }

    @Override public void free(long address) {
        Long bytes = live.remove(address);
        if (bytes == null) throw new AssertionError(String.format("cudaFree of 0x%x, which is not a live segment", address));
        used -= bytes;
        frees++;
    }

    @Override public long[] memInfo() {
        return new long[] {capacity - used, capacity};
    }

    long used() { return used; }

    int liveSegments() { return live.size(); }
}
