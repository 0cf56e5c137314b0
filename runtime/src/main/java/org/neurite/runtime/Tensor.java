package org.neurite.runtime;

import java.util.Arrays;
import org.neurite.runtime.cuda.CudaTensors;
import org.neurite.runtime.cuda.DeviceStorage;

/**
 * A float32, row-major, contiguous tensor on one device. On the CPU its storage is a
 * {@code float[]} ({@link #data()}); on a CUDA device it is a block of the device's caching
 * allocator ({@link #deviceStorage()}), returned to it by {@link #close()}.
 *
 * <p>Layers allocate their tensors once per input shape and reuse them every step, so a tensor
 * returned by a layer's {@code forward} is overwritten by the next call with the same shape.
 *
 * <pre>{@code
 * Tensor x = batch.toDevice(cuda);          // upload (queued on the device's stream)
 * Tensor y = Tensor.zeros(shape, cuda);     // zero-filled device memory
 * float[] out = y.toCpu().data();           // download (waits for the stream)
 * y.close();                                // back to the allocator's cache
 * }</pre>
 *
 * <p>Device copies run in the device's stream order: an upload returns once queued (through pinned
 * staging buffers, see {@link org.neurite.runtime.cuda.PinnedStaging}), a download returns with the
 * data. Only the CUDA methods touch CUDA classes: the CPU path never loads JCuda.
 */
public final class Tensor implements AutoCloseable {
    private final Shape shape;
    // Not final: moveTo swaps the storage in place, so holders of this tensor (a Param) see the move.
    private Device device;
    private float[] data;
    private DeviceStorage storage;          // CUDA storage; null on the CPU
    private boolean closed;

    private Tensor(Shape shape, Device device, float[] data) {
        this(shape, device, data, null);
    }

    private Tensor(Shape shape, Device device, float[] data, DeviceStorage storage) {
        this.shape = shape;
        this.device = device;
        this.data = data;
        this.storage = storage;
    }

    /** A zero-filled CPU tensor. */
    public static Tensor zeros(Shape shape) {
        return new Tensor(shape, Device.CPU, new float[shape.size()]);
    }

    public static Tensor zeros(int... dims) {
        return zeros(Shape.of(dims));
    }

    /** A zero-filled tensor on {@code device}; on the CPU the same as {@link #zeros(Shape)}. */
    public static Tensor zeros(Shape shape, Device device) {
        return device.isCpu() ? zeros(shape) : CudaTensors.zeros(shape, device);
    }

    /**
     * A tensor over device memory (for the CUDA runtime): {@code storage} must hold at least
     * {@code 4 * shape.size()} bytes; the tensor takes over the caller's reference to it.
     */
    public static Tensor ofDeviceStorage(Shape shape, Device device, DeviceStorage storage) {
        if (device.isCpu()) throw new IllegalArgumentException("device storage needs a CUDA device, not " + device);
        if (storage.bytes() < 4L * shape.size()) {
            throw new IllegalArgumentException("storage of " + storage.bytes() + " bytes is too small for " + shape);
        }
        return new Tensor(shape, device, null, storage);
    }

    /** A CPU tensor over {@code data} (not copied); its length must equal the shape's size. */
    public static Tensor wrap(Shape shape, float[] data) {
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("data has " + data.length + " floats, shape " + shape + " needs " + shape.size());
        }
        return new Tensor(shape, Device.CPU, data);
    }

    public Shape shape() { return shape; }

    public Device device() { return device; }

    public int size() { return data != null ? data.length : shape.size(); }

    /** The CPU storage. */
    public float[] data() {
        if (!device.isCpu()) throw new IllegalStateException("tensor lives on " + device + ", not the CPU");
        return data;
    }

    /**
     * The CUDA storage (for engines: its address goes to cuBLAS, cuDNN and kernels).
     *
     * @throws IllegalStateException on a CPU tensor, or after {@link #close()}
     */
    public DeviceStorage deviceStorage() {
        if (storage == null) throw new IllegalStateException("tensor " + shape + " lives on the CPU, not on a CUDA device");
        if (closed) throw new IllegalStateException("tensor " + shape + "@" + device + " is closed");
        return storage;
    }

    /**
     * A tensor of another shape over the same storage (no copy). On a device the two share the
     * memory, which goes back to the allocator when both are closed.
     */
    public Tensor reshape(Shape newShape) {
        if (newShape.size() != shape.size()) {
            throw new IllegalArgumentException("cannot reshape " + shape + " to " + newShape);
        }
        if (storage != null) {
            deviceStorage().retain();
            return new Tensor(newShape, device, null, storage);
        }
        return new Tensor(newShape, device, data);
    }

    public float get(int index) {
        if (data == null) throw onDevice("get");
        return data[index];
    }

    public void set(int index, float value) {
        if (data == null) throw onDevice("set");
        data[index] = value;
    }

    /** Sets every element; on a device, queued on its stream. */
    public void fill(float value) {
        if (data == null) {
            CudaTensors.fill(this, value);
            return;
        }
        Arrays.fill(data, value);
    }

    /** Copies {@code src} (same size, any device) into this tensor. */
    public void copyFrom(Tensor src) {
        if (src.size() != size()) throw new IllegalArgumentException("copy " + src.shape + " into " + shape);
        if (data == null || src.data == null) {
            CudaTensors.copy(src, this);
            return;
        }
        System.arraycopy(src.data(), 0, data(), 0, size());
    }

    /** A copy on the same device. */
    public Tensor copy() {
        if (data == null) {
            Tensor t = CudaTensors.empty(shape, device);
            t.copyFrom(this);
            return t;
        }
        return new Tensor(shape, device, data.clone());
    }

    /**
     * This tensor on {@code target}: itself when it already lives there, else a new copy (upload,
     * download, or both between two CUDA devices). The caller closes the copy.
     */
    public Tensor toDevice(Device target) {
        if (target == device) return this;
        if (target.isCpu()) return toCpu();
        Tensor t = CudaTensors.empty(shape, target);
        t.copyFrom(this);
        return t;
    }

    /** This tensor on the CPU: itself when it lives there, else a download (waits for the device). */
    public Tensor toCpu() {
        if (data != null) return this;
        Tensor t = zeros(shape);
        t.copyFrom(this);
        return t;
    }

    /**
     * Moves this tensor to {@code target} in place: the same object then lives there, with its
     * values copied (a no-op when it already does). Device memory it held goes back to its
     * allocator. Used to move a model's parameters without changing their identity; reshapes taken
     * before the move keep the old storage, so take none of a tensor that will move.
     */
    public void moveTo(Device target) {
        if (target == device) return;
        if (closed) throw new IllegalStateException("tensor " + shape + "@" + device + " is closed");
        Tensor moved = toDevice(target);
        DeviceStorage old = storage;
        this.device = moved.device;
        this.data = moved.data;
        this.storage = moved.storage;
        if (old != null) old.release();
    }

    private IllegalStateException onDevice(String what) {
        return new IllegalStateException(what + ": tensor lives on " + device + "; copy it with toCpu() first");
    }

    /** True when this tensor exists and has exactly {@code s} as shape: the reuse test of every plan. */
    public static boolean hasShape(Tensor t, Shape s) {
        return t != null && t.shape.equals(s);
    }

    /**
     * True when {@code t} exists, has shape {@code s} and lives on {@code device}: the reuse test of
     * modules that allocate on their input's device (on the CPU the same as {@link #hasShape}).
     */
    public static boolean fits(Tensor t, Shape s, Device device) {
        return t != null && t.device == device && t.shape.equals(s);
    }

    /**
     * CPU memory belongs to the garbage collector; device memory goes back to the device's
     * allocator here (once every reshape of it is closed too). Closing twice does nothing.
     */
    @Override public void close() {
        if (storage == null || closed) return;
        closed = true;
        storage.release();
    }

    @Override public String toString() {
        return "Tensor" + shape + "@" + device;
    }
}
