package org.neurite.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The caching allocator's rules on fake device memory with a capacity limit. */
class CudaAllocatorTest {
    private static final long KiB = 1024, MiB = 1024 * KiB;

    @Test void roundsToHalfKilobytesAndPicksSegmentSizes() {
        assertEquals(512, CudaAllocator.roundSize(0));
        assertEquals(512, CudaAllocator.roundSize(1));
        assertEquals(512, CudaAllocator.roundSize(512));
        assertEquals(1024, CudaAllocator.roundSize(513));
        assertEquals(2 * MiB, CudaAllocator.segmentSize(512));
        assertEquals(2 * MiB, CudaAllocator.segmentSize(MiB));                 // largest small request
        assertEquals(20 * MiB, CudaAllocator.segmentSize(MiB + 512));          // smallest large request
        assertEquals(20 * MiB, CudaAllocator.segmentSize(10 * MiB - 512));
        assertEquals(10 * MiB, CudaAllocator.segmentSize(10 * MiB));
        assertEquals(12 * MiB, CudaAllocator.segmentSize(10 * MiB + 1));      // rounded up to 2 MiB
    }

    @Test void smallRequestsShareOneSegmentAndFreedBlocksAreReused() {
        FakeDeviceMemory mem = new FakeDeviceMemory(64 * MiB);
        CudaAllocator a = new CudaAllocator("cuda:0", mem);
        DeviceBlock b1 = a.allocate(1000);          // rounds to 1024
        DeviceBlock b2 = a.allocate(4000);          // rounds to 4096, split from the same 2 MiB segment
        assertEquals(1, mem.mallocs);
        assertEquals(1024, b1.size());
        assertEquals(1000, b1.requested());
        assertEquals(b1.address() + 1024, b2.address(), "split from the segment right after b1");
        AllocatorStats s = a.stats();
        assertEquals(1024 + 4096, s.allocatedBytes());
        assertEquals(2 * MiB, s.reservedBytes());
        assertEquals(2 * MiB - 5120, s.cachedBytes());

        long at = b1.address();
        a.free(b1);
        DeviceBlock b3 = a.allocate(700);           // 1024 again: best fit is b1's old block, not the big tail
        assertEquals(at, b3.address());
        assertEquals(1, mem.mallocs, "served from the cache");
        assertEquals(3, a.stats().allocations());
    }

    @Test void bestFitTakesTheSmallestFreeBlockThatFits() {
        CudaAllocator a = new CudaAllocator("cuda:0", new FakeDeviceMemory(64 * MiB));
        DeviceBlock big = a.allocate(8 * KiB);
        DeviceBlock sep1 = a.allocate(512);
        DeviceBlock mid = a.allocate(2 * KiB);
        DeviceBlock sep2 = a.allocate(512);
        a.free(big);                                // free: 8 KiB, 2 KiB and the segment's tail
        a.free(mid);
        DeviceBlock got = a.allocate(1500);         // 1536 fits in the 2 KiB block best
        assertEquals(mid.address(), got.address());
        DeviceBlock rest = a.allocate(512);         // the 512 left of the 2 KiB block
        assertEquals(mid.address() + 1536, rest.address());
        assertTrue(sep1.isLive() && sep2.isLive());
    }

    @Test void freedNeighboursMergeSoALargerRequestFitsWithoutANewSegment() {
        FakeDeviceMemory mem = new FakeDeviceMemory(64 * MiB);
        CudaAllocator a = new CudaAllocator("cuda:0", mem);
        DeviceBlock x = a.allocate(MiB / 2);
        DeviceBlock y = a.allocate(MiB / 2);
        DeviceBlock z = a.allocate(MiB / 2);
        a.free(x);
        a.free(y);                                  // x and y merge into one free 1 MiB block
        DeviceBlock w = a.allocate(MiB);
        assertEquals(x.address(), w.address());
        assertEquals(1, mem.mallocs);
        a.free(w);
        a.free(z);                                  // everything free: one whole segment again
        a.emptyCache();
        assertEquals(0, mem.liveSegments());
        assertEquals(0, a.stats().reservedBytes());
    }

    @Test void largeRequestsUseLargeSegmentsAndSplitOnlyWhenTheRestExceedsOneMegabyte() {
        FakeDeviceMemory mem = new FakeDeviceMemory(256 * MiB);
        CudaAllocator a = new CudaAllocator("cuda:0", mem);
        DeviceBlock l1 = a.allocate(3 * MiB);       // 20 MiB segment, 17 MiB tail kept free
        DeviceBlock l2 = a.allocate(16 * MiB + 512 * KiB); // from the tail; rest 512 KiB is not split off
        assertEquals(1, mem.mallocs);
        assertEquals(17 * MiB, l2.size(), "a large block keeps a rest of 1 MiB or less");
        assertEquals(20 * MiB, a.stats().allocatedBytes());
        DeviceBlock l3 = a.allocate(30 * MiB);      // own 30 MiB segment
        assertEquals(2, mem.mallocs);
        assertEquals(50 * MiB, a.stats().reservedBytes());
        DeviceBlock s = a.allocate(100);            // small pool: its own 2 MiB segment, never from a large one
        assertEquals(3, mem.mallocs);
        assertNotEquals(l1.address(), s.address());
        a.free(l3);
        assertEquals(50 * MiB + 2 * MiB, a.stats().peakReservedBytes());
        assertEquals(20 * MiB + 30 * MiB + 512, a.stats().peakAllocatedBytes());
        a.free(l2);
    }

    @Test void doubleFreeAndForeignBlocksAreRejected() {
        CudaAllocator a = new CudaAllocator("cuda:0", new FakeDeviceMemory(64 * MiB));
        CudaAllocator other = new CudaAllocator("cuda:1", new FakeDeviceMemory(64 * MiB));
        DeviceBlock b = a.allocate(4096);
        a.free(b);
        assertFalse(b.isLive());
        DeviceBlock again = a.allocate(4096);       // the same memory, a new handle
        assertEquals(b.address(), again.address());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.free(b));
        assertTrue(e.getMessage().startsWith("double free of DeviceBlock["), e.getMessage());
        assertTrue(again.isLive(), "the stale handle must not free the new owner's memory");
        assertEquals(4096, a.stats().allocatedBytes());
        DeviceBlock foreign = other.allocate(512);
        assertThrows(IllegalArgumentException.class, () -> a.free(foreign));
    }

    @Test void emptyCacheReleasesOnlyWhollyFreeSegments() {
        FakeDeviceMemory mem = new FakeDeviceMemory(256 * MiB);
        CudaAllocator a = new CudaAllocator("cuda:0", mem);
        DeviceBlock keep = a.allocate(1000);        // small segment stays: it holds a live block
        DeviceBlock big = a.allocate(40 * MiB);
        DeviceBlock tmp = a.allocate(2000);
        a.free(big);
        a.free(tmp);
        assertEquals(2, mem.liveSegments());
        a.emptyCache();
        assertEquals(1, mem.liveSegments());
        assertEquals(1, mem.frees);
        AllocatorStats s = a.stats();
        assertEquals(2 * MiB, s.reservedBytes());
        assertEquals(1024, s.allocatedBytes());
        assertEquals(1, s.segments());
        assertEquals(1, s.rawFrees());
        assertTrue(keep.isLive());
    }

    @Test void aFailedDeviceAllocationReleasesTheCacheAndRetries() {
        FakeDeviceMemory mem = new FakeDeviceMemory(60 * MiB);
        CudaAllocator a = new CudaAllocator("cuda:0", mem);
        a.free(a.allocate(40 * MiB));               // 40 MiB cached
        DeviceBlock b = a.allocate(50 * MiB);       // fails at first (40 + 50 > 60), succeeds after the release
        assertEquals(50 * MiB, b.size());
        assertEquals(3, mem.mallocs);
        assertEquals(1, mem.frees);
        assertEquals(50 * MiB, mem.used());
    }

    @Test void outOfMemorySaysWhatWasAskedInUseAndCached() {
        FakeDeviceMemory mem = new FakeDeviceMemory(64 * MiB);
        CudaAllocator a = new CudaAllocator("cuda:0", mem);
        DeviceBlock live = a.allocate(30 * MiB);
        DeviceBlock small = a.allocate(1536);
        a.free(small);                              // its 2 MiB segment is cached, and released by the retry
        CudaOutOfMemoryException e = assertThrows(CudaOutOfMemoryException.class, () -> a.allocate(40 * MiB));
        assertEquals("cuda:0 out of memory: tried to allocate 40.00 MiB; 30.00 MiB in use by tensors, "
                + "0 bytes reserved by the allocator but unused (cached); the device has 34.00 MiB free of 64.00 MiB. "
                + "Reduce the batch size or the model, or free tensors with close().", e.getMessage());
        assertEquals(40 * MiB, e.requested());
        assertEquals(30 * MiB, e.inUse());
        assertEquals(0, e.cached());
        assertEquals(2, e.code());
        assertTrue(live.isLive());
        assertEquals(30 * MiB, a.stats().allocatedBytes(), "a failed request changes no counter but mallocCalls");
    }

    @Test void formatsBytesTheWayPyTorchDoes() {
        assertEquals("512 bytes", CudaAllocator.formatBytes(512));
        assertEquals("1.50 KiB", CudaAllocator.formatBytes(1536));
        assertEquals("20.00 MiB", CudaAllocator.formatBytes(20 * MiB));
        assertEquals("1.25 GiB", CudaAllocator.formatBytes(5L << 28));
    }

    @Test void aTrainingLoopOfRepeatedShapesStopsCallingTheDevice() {
        FakeDeviceMemory mem = new FakeDeviceMemory(512 * MiB);
        CudaAllocator a = new CudaAllocator("cuda:0", mem);
        long[] sizes = {4 * 6 * 28 * 28 * 4, 4 * 16 * 10 * 10 * 4, 120 * 400 * 4, 13 * MiB, 100};
        for (int step = 0; step < 5; step++) {
            DeviceBlock[] blocks = new DeviceBlock[sizes.length];
            for (int i = 0; i < sizes.length; i++) blocks[i] = a.allocate(sizes[i]);
            for (DeviceBlock b : blocks) a.free(b);
            if (step == 0) assertEquals(2, mem.mallocs);
        }
        assertEquals(2, mem.mallocs, "after the first step every request is served from the cache");
        assertEquals(0, a.stats().allocatedBytes());
    }
}
