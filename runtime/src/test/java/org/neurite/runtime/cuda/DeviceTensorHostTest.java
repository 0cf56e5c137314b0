package org.neurite.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurite.runtime.Device;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * Device-storage tensors' bookkeeping, host-side: a fake CUDA-kind device and fake memory stand in
 * for the GPU (no copy is made, only storage is shared, reshaped and released).
 */
class DeviceTensorHostTest {
    private static final Device FAKE_GPU = new Device() {
        @Override public Kind kind() { return Kind.CUDA; }
        @Override public String name() { return "cuda:9"; }
        @Override public String toString() { return "cuda:9"; }
    };

    @Test void closeReturnsTheBlockOnceAndReshapesShareIt() {
        CudaAllocator a = new CudaAllocator("cuda:9", new FakeDeviceMemory(1L << 30));
        DeviceStorage s = new DeviceStorage(a, a.allocate(4L * 24));
        Tensor t = Tensor.ofDeviceStorage(Shape.of(2, 3, 4), FAKE_GPU, s);
        assertEquals(24, t.size());
        assertSame(s, t.deviceStorage());
        Tensor flat = t.reshape(Shape.of(2, 12));
        assertSame(s, flat.deviceStorage());
        t.close();
        assertTrue(s.isLive(), "the reshape still uses the memory");
        assertEquals(512, a.stats().allocatedBytes());
        t.close();                                  // a second close of the same tensor does nothing
        assertTrue(s.isLive());
        flat.close();
        assertFalse(s.isLive());
        assertEquals(0, a.stats().allocatedBytes());
        assertThrows(IllegalStateException.class, t::deviceStorage);
        assertThrows(IllegalStateException.class, s::release, "released twice");
    }

    @Test void hostAccessorsRefuseDeviceTensorsWithAMessage() {
        CudaAllocator a = new CudaAllocator("cuda:9", new FakeDeviceMemory(1L << 30));
        Tensor t = Tensor.ofDeviceStorage(Shape.of(4), FAKE_GPU, new DeviceStorage(a, a.allocate(16)));
        IllegalStateException e = assertThrows(IllegalStateException.class, t::data);
        assertEquals("tensor lives on cuda:9, not the CPU", e.getMessage());
        assertEquals("get: tensor lives on cuda:9; copy it with toCpu() first",
                assertThrows(IllegalStateException.class, () -> t.get(0)).getMessage());
        assertThrows(IllegalStateException.class, () -> t.set(0, 1f));
        assertThrows(IllegalArgumentException.class,
                () -> Tensor.ofDeviceStorage(Shape.of(5), FAKE_GPU, new DeviceStorage(a, a.allocate(16))), "too small");
        assertThrows(IllegalArgumentException.class,
                () -> Tensor.ofDeviceStorage(Shape.of(4), Device.CPU, new DeviceStorage(a, a.allocate(16))));
    }

    @Test void cpuTensorsKeepTheirBehaviour() {
        Tensor t = Tensor.zeros(Shape.of(2, 2), Device.CPU);
        assertSame(Device.CPU, t.device());
        t.set(3, 5f);
        assertSame(t, t.toCpu());
        assertSame(t, t.toDevice(Device.CPU));
        Tensor c = t.copy();
        assertEquals(5f, c.get(3));
        t.close();
        assertEquals(5f, t.get(3), "close does nothing to CPU memory");
        assertThrows(IllegalStateException.class, t::deviceStorage);
    }

    @Test void transfersAreCutIntoAlternatingChunks() {
        List<String> seen = new ArrayList<>();
        PinnedStaging.forEachChunk(10, 4, (i, b, from, count) -> seen.add(i + ":" + b + ":" + from + "+" + count));
        assertEquals(List.of("0:0:0+4", "1:1:4+4", "2:0:8+2"), seen);
        seen.clear();
        PinnedStaging.forEachChunk(0, 4, (i, b, from, count) -> seen.add("x"));
        assertEquals(List.of(), seen);
        PinnedStaging.forEachChunk(8, 4, (i, b, from, count) -> seen.add(from + "+" + count));
        assertEquals(List.of("0+4", "4+4"), seen);
    }

    @Test void gridStrideLaunchSizes() {
        assertEquals(1, CudaKernels.gridFor(0));
        assertEquals(1, CudaKernels.gridFor(256));
        assertEquals(2, CudaKernels.gridFor(257));
        assertEquals(65535, CudaKernels.gridFor(1L << 30));
    }

    @Test void devicePointersCarryPlainAddresses() {
        DevicePointer p = DevicePointer.at(0x7f0012345000L);
        assertEquals(0x7f0012345000L, p.address());
        assertEquals(0x7f0012345010L, DevicePointer.addressOf(p.withByteOffset(16)));
    }
}
