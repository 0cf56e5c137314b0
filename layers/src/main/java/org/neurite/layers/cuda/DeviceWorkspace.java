package org.neurite.layers.cuda;

import jcuda.Pointer;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.DeviceBlock;
import org.neurite.runtime.cuda.DevicePointer;

/**
 * One engine's view of its device's shared workspace: asks it for the bytes this engine needs before
 * each call (it only grows) and keeps the pointer while the buffer stays the same, so a call
 * allocates nothing.
 */
public final class DeviceWorkspace {
    private final CudaDevice device;
    private DeviceBlock block;
    private Pointer pointer;

    public DeviceWorkspace(CudaDevice device) {
        this.device = device;
    }

    /** A pointer to at least {@code bytes} of workspace, or null when {@code bytes} is 0. */
    public Pointer pointer(long bytes) {
        if (bytes <= 0) return null;
        DeviceBlock b = device.workspace().ensure(bytes);
        if (b != block) {
            block = b;
            pointer = DevicePointer.at(b.address());
        }
        return pointer;
    }
}
