package org.neurite.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** The device's one workspace grows to the largest request and never shrinks. */
class WorkspaceTest {
    @Test void growsToTheMaximumAndKeepsIt() {
        FakeDeviceMemory mem = new FakeDeviceMemory(1L << 30);
        CudaAllocator a = new CudaAllocator("cuda:0", mem);
        Workspace ws = new Workspace(a);
        assertNull(ws.ensure(0));
        assertEquals(0, ws.size());
        DeviceBlock first = ws.ensure(3 << 20);
        assertSame(first, ws.ensure(1 << 20), "a smaller request reuses the buffer");
        assertSame(first, ws.ensure(3 << 20));
        DeviceBlock bigger = ws.ensure(12 << 20);
        assertEquals(12 << 20, ws.size());
        assertEquals(false, first.isLive(), "the old buffer went back to the allocator");
        assertSame(bigger, ws.ensure(5 << 20));
        assertEquals(12 << 20, a.stats().allocatedBytes());
        ws.release();
        assertEquals(0, a.stats().allocatedBytes());
        ws.release();   // twice is harmless
    }
}
