package org.neurite.runtime.cuda;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The caching allocator of one device, modelled on PyTorch's {@code CUDACachingAllocator}: device
 * memory is taken in segments and carved into blocks; a freed block goes back to a pool and serves
 * the next request of a fitting size, so a training step allocates nothing new after the first.
 *
 * <ul>
 *   <li>Requests are rounded up to a multiple of {@link #MIN_BLOCK} (512 bytes).</li>
 *   <li>Small requests (at most {@link #SMALL_SIZE}, 1 MiB) come from 2 MiB segments; large ones from
 *       20 MiB segments when under 10 MiB, else from a segment of the request rounded up to 2 MiB.</li>
 *   <li>A request takes the smallest free block of its pool that fits (best fit), split when the rest
 *       is worth keeping: at least 512 bytes in the small pool, more than 1 MiB in the large one.</li>
 *   <li>A freed block merges with free neighbours of its segment; whole free segments stay cached
 *       until {@link #emptyCache()}, or until a device allocation fails, which releases them and
 *       retries once before reporting {@link CudaOutOfMemoryException}.</li>
 * </ul>
 *
 * <p>There is one stream per device, so a block freed while the stream still uses it can be handed
 * out again at once: the new user's work is queued behind the old one's. Thread-safe.
 */
public final class CudaAllocator {
    /** Rounding granularity and smallest block. */
    public static final long MIN_BLOCK = 512;
    /** Largest request served from the small pool. */
    public static final long SMALL_SIZE = 1L << 20;
    /** Segment size of the small pool. */
    public static final long SMALL_SEGMENT = 2L << 20;
    /** Large requests below this share a {@link #LARGE_SEGMENT}. */
    public static final long MIN_LARGE_ALLOC = 10L << 20;
    /** Segment size for large requests under {@link #MIN_LARGE_ALLOC}. */
    public static final long LARGE_SEGMENT = 20L << 20;
    /** Larger requests get a segment of their size rounded up to this. */
    public static final long ROUND_LARGE = 2L << 20;

    /** A piece of a segment: free (in a pool) or behind one live {@link DeviceBlock}. */
    static final class Chunk {
        final boolean small;
        long address;
        long size;
        boolean free;
        Chunk prev;     // neighbours in the same segment, by address
        Chunk next;

        Chunk(boolean small, long address, long size) {
            this.small = small;
            this.address = address;
            this.size = size;
        }

        boolean wholeSegment() { return prev == null && next == null; }
    }

    private static final Comparator<Chunk> BY_SIZE =
            Comparator.<Chunk>comparingLong(c -> c.size).thenComparingLong(c -> c.address);

    private final String device;
    private final RawDeviceMemory raw;
    private final TreeSet<Chunk> smallPool = new TreeSet<>(BY_SIZE);
    private final TreeSet<Chunk> largePool = new TreeSet<>(BY_SIZE);
    private final Chunk probe = new Chunk(false, Long.MIN_VALUE, 0);

    private long allocated;
    private long reserved;
    private long peakAllocated;
    private long peakReserved;
    private long mallocCalls;
    private long rawFrees;
    private long allocations;
    private int segments;

    /**
     * @param device the device's name for messages, e.g. "cuda:0"
     * @param raw    where segments come from
     */
    public CudaAllocator(String device, RawDeviceMemory raw) {
        this.device = device;
        this.raw = raw;
    }

    /** {@code bytes} rounded up to a multiple of {@link #MIN_BLOCK}, at least one block. */
    public static long roundSize(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("negative allocation size " + bytes);
        return Math.max(MIN_BLOCK, roundUp(bytes, MIN_BLOCK));
    }

    /** The segment taken from the device for a request of {@code rounded} bytes with no cached fit. */
    public static long segmentSize(long rounded) {
        if (rounded <= SMALL_SIZE) return SMALL_SEGMENT;
        if (rounded < MIN_LARGE_ALLOC) return LARGE_SEGMENT;
        return roundUp(rounded, ROUND_LARGE);
    }

    private static long roundUp(long n, long unit) {
        return (n + unit - 1) / unit * unit;
    }

    /**
     * A block of at least {@code bytes}; free it with {@link #free} (or close the tensor owning it).
     *
     * @throws CudaOutOfMemoryException the device has no room even after the cache was released
     */
    public synchronized DeviceBlock allocate(long bytes) {
        long size = roundSize(bytes);
        boolean small = size <= SMALL_SIZE;
        TreeSet<Chunk> pool = small ? smallPool : largePool;
        probe.size = size;
        Chunk c = pool.ceiling(probe);
        if (c != null) {
            pool.remove(c);
        } else {
            c = newSegment(small, size, bytes);
        }
        long rest = c.size - size;
        if (small ? rest >= MIN_BLOCK : rest > SMALL_SIZE) {
            Chunk tail = new Chunk(small, c.address + size, rest);
            tail.free = true;
            tail.prev = c;
            tail.next = c.next;
            if (c.next != null) c.next.prev = tail;
            c.next = tail;
            c.size = size;
            pool.add(tail);
        }
        c.free = false;
        allocated += c.size;
        peakAllocated = Math.max(peakAllocated, allocated);
        allocations++;
        return new DeviceBlock(this, c, bytes);
    }

    private Chunk newSegment(boolean small, long size, long requested) {
        long segment = segmentSize(size);
        long address = rawMalloc(segment);
        if (address == 0) {
            releaseCached();
            address = rawMalloc(segment);
        }
        if (address == 0) throw outOfMemory(requested);
        reserved += segment;
        peakReserved = Math.max(peakReserved, reserved);
        segments++;
        return new Chunk(small, address, segment);
    }

    private long rawMalloc(long bytes) {
        mallocCalls++;
        return raw.malloc(bytes);
    }

    private CudaOutOfMemoryException outOfMemory(long requested) {
        long cached = reserved - allocated;
        StringBuilder m = new StringBuilder(device).append(" out of memory: tried to allocate ").append(formatBytes(requested))
                .append("; ").append(formatBytes(allocated)).append(" in use by tensors, ")
                .append(formatBytes(cached)).append(" reserved by the allocator but unused (cached)");
        long[] info = safeMemInfo();
        if (info != null) {
            m.append("; the device has ").append(formatBytes(info[0])).append(" free of ").append(formatBytes(info[1]));
        }
        m.append(". Reduce the batch size or the model, or free tensors with close().");
        return new CudaOutOfMemoryException(m.toString(), requested, allocated, cached);
    }

    private long[] safeMemInfo() {
        try {
            return raw.memInfo();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Returns {@code block} to its pool, merged with free neighbours.
     *
     * @throws IllegalStateException    the block was already freed
     * @throws IllegalArgumentException the block comes from another allocator
     */
    public synchronized void free(DeviceBlock block) {
        if (block.owner != this) throw new IllegalArgumentException(block + " belongs to another allocator than " + device + "'s");
        if (!block.live) throw new IllegalStateException("double free of " + block + " on " + device);
        block.live = false;
        Chunk c = block.chunk;
        allocated -= c.size;
        TreeSet<Chunk> pool = c.small ? smallPool : largePool;
        Chunk p = c.prev;
        if (p != null && p.free) {
            pool.remove(p);
            p.size += c.size;
            p.next = c.next;
            if (c.next != null) c.next.prev = p;
            c = p;
        }
        Chunk n = c.next;
        if (n != null && n.free) {
            pool.remove(n);
            c.size += n.size;
            c.next = n.next;
            if (n.next != null) n.next.prev = c;
        }
        c.free = true;
        pool.add(c);
    }

    /** Gives every wholly free segment back to the device ({@code cudaFree}); live blocks are untouched. */
    public synchronized void emptyCache() {
        releaseCached();
    }

    private void releaseCached() {
        for (TreeSet<Chunk> pool : List.of(smallPool, largePool)) {
            List<Chunk> whole = new ArrayList<>();
            for (Chunk c : pool) if (c.wholeSegment()) whole.add(c);
            for (Chunk c : whole) {
                pool.remove(c);
                raw.free(c.address);
                rawFrees++;
                reserved -= c.size;
                segments--;
            }
        }
    }

    /** The counters now. */
    public synchronized AllocatorStats stats() {
        return new AllocatorStats(allocated, reserved, peakAllocated, peakReserved, mallocCalls, rawFrees, allocations, segments);
    }

    /** Bytes as PyTorch prints them: "512 bytes", "1.50 KiB", "20.00 MiB", "1.25 GiB". */
    public static String formatBytes(long bytes) {
        if (bytes < 1024) return bytes + " bytes";
        if (bytes < 1L << 20) return String.format(Locale.ROOT, "%.2f KiB", bytes / 1024.0);
        if (bytes < 1L << 30) return String.format(Locale.ROOT, "%.2f MiB", bytes / (double) (1L << 20));
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
    }

    @Override public String toString() {
        AllocatorStats s = stats();
        return device + " allocator: " + formatBytes(s.allocatedBytes()) + " in use, " + formatBytes(s.cachedBytes()) + " cached";
    }
}
