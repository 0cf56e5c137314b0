package org.neurite.runtime;

import java.util.Arrays;

/**
 * A float32, row-major, contiguous tensor on one device. On the CPU its storage is a
 * {@code float[]} ({@link #data()}); CUDA storage arrives with the CUDA engine.
 *
 * <p>Layers allocate their tensors once per input shape and reuse them every step, so a tensor
 * returned by a layer's {@code forward} is overwritten by the next call with the same shape.
 */
public final class Tensor implements AutoCloseable {
    private final Shape shape;
    private final Device device;
    private final float[] data;

    private Tensor(Shape shape, Device device, float[] data) {
        this.shape = shape;
        this.device = device;
        this.data = data;
    }

    /** A zero-filled CPU tensor. */
    public static Tensor zeros(Shape shape) {
        return new Tensor(shape, Device.CPU, new float[shape.size()]);
    }

    public static Tensor zeros(int... dims) {
        return zeros(Shape.of(dims));
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

    public int size() { return data.length; }

    /** The CPU storage. */
    public float[] data() {
        if (!device.isCpu()) throw new IllegalStateException("tensor lives on " + device + ", not the CPU");
        return data;
    }

    /** A tensor of another shape over the same storage (no copy). */
    public Tensor reshape(Shape newShape) {
        if (newShape.size() != shape.size()) {
            throw new IllegalArgumentException("cannot reshape " + shape + " to " + newShape);
        }
        return new Tensor(newShape, device, data);
    }

    public float get(int index) { return data[index]; }

    public void set(int index, float value) { data[index] = value; }

    public void fill(float value) { Arrays.fill(data, value); }

    public void copyFrom(Tensor src) {
        if (src.size() != size()) throw new IllegalArgumentException("copy " + src.shape + " into " + shape);
        System.arraycopy(src.data(), 0, data(), 0, size());
    }

    public Tensor copy() {
        return new Tensor(shape, device, data.clone());
    }

    /** True when this tensor exists and has exactly {@code s} as shape: the reuse test of every plan. */
    public static boolean hasShape(Tensor t, Shape s) {
        return t != null && t.shape.equals(s);
    }

    /** CPU memory belongs to the garbage collector; device memory is released here. */
    @Override public void close() { }

    @Override public String toString() {
        return "Tensor" + shape + "@" + device;
    }
}
