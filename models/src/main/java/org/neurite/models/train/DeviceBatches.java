package org.neurite.models.train;

import org.neurite.runtime.Device;
import org.neurite.runtime.Tensor;

/**
 * Puts each host batch on the training device into tensors reused while the batch shape stays the
 * same (a last partial batch plans a second pair): zero allocation per step after warm-up. On the
 * CPU it hands the host tensors through untouched, so a CPU run is exactly what it was.
 * <pre>{@code
 * Modules.moveTo(model, device);
 * DeviceBatches batches = new DeviceBatches(device);
 * Tensor x = batches.inputs(e.inputs());     // upload, queued on the device's stream
 * Tensor out = model.forward(x, Mode.TRAIN);
 * }</pre>
 * Targets usually stay on the host: the CUDA cross-entropy reads its labels there.
 */
public final class DeviceBatches implements AutoCloseable {
    private final Device device;
    private Tensor inputs;      // last batch's inputs on the device
    private Tensor targets;     // last batch's targets on the device

    public DeviceBatches(Device device) {
        this.device = device;
    }

    public Device device() { return device; }

    /** {@code host} on the device, in the reused input tensor ({@code host} itself on the CPU). */
    public Tensor inputs(Tensor host) {
        if (device.isCpu() || host.device() == device) return host;
        inputs = upload(inputs, host);
        return inputs;
    }

    /** {@code host} on the device, in the reused target tensor ({@code host} itself on the CPU). */
    public Tensor targets(Tensor host) {
        if (device.isCpu() || host.device() == device) return host;
        targets = upload(targets, host);
        return targets;
    }

    private Tensor upload(Tensor into, Tensor host) {
        if (!Tensor.fits(into, host.shape(), device)) {
            if (into != null) into.close();
            into = Tensor.zeros(host.shape(), device);
        }
        into.copyFrom(host);
        return into;
    }

    /** Returns the device tensors to the allocator. */
    @Override public void close() {
        if (inputs != null) inputs.close();
        if (targets != null) targets.close();
        inputs = null;
        targets = null;
    }
}
