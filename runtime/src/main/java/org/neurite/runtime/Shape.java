package org.neurite.runtime;

import java.util.Arrays;

/**
 * The dimensions of a tensor, outermost first (NCHW for images, [T, N, C] for sequences,
 * [N, C] for dense inputs). Immutable; {@code equals} compares dimensions.
 */
public final class Shape {
    private final int[] dims;
    private final long size;

    private Shape(int[] dims) {
        long n = 1;
        for (int d : dims) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
            n *= d;
        }
        this.dims = dims;
        this.size = n;
    }

    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    public int rank() { return dims.length; }

    public int dim(int axis) {
        return dims[axis < 0 ? dims.length + axis : axis];
    }

    /** Number of elements. */
    public int size() {
        if (size > Integer.MAX_VALUE) throw new IllegalStateException("tensor too large for one array: " + this);
        return (int) size;
    }

    /** Elements per outermost index: size / dim(0). */
    public int stride0() {
        return dims.length == 0 || dims[0] == 0 ? 0 : size() / dims[0];
    }

    public int[] dims() { return dims.clone(); }

    /** This shape with the outermost dimension replaced (e.g. a different batch size). */
    public Shape withDim0(int n) {
        int[] d = dims.clone();
        d[0] = n;
        return new Shape(d);
    }

    /** Shape {@code [dim(0), size/dim(0)]}: what a flatten layer produces. */
    public Shape flattenFrom1() {
        return Shape.of(dims[0], stride0());
    }

    @Override public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override public int hashCode() { return Arrays.hashCode(dims); }

    @Override public String toString() { return Arrays.toString(dims); }
}
