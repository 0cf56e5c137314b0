package org.neurite.runtime.gemm;

/**
 * Per-thread packing buffers, grown on demand and then reused, so a GEMM allocates nothing in steady
 * state. Each pool thread (and each caller) has its own; they are never shared between threads.
 */
final class GemmBuffers {
    private static final ThreadLocal<GemmBuffers> LOCAL = ThreadLocal.withInitial(GemmBuffers::new);

    float[] a = new float[0];
    float[] b = new float[0];
    float[] tile = new float[0];

    private GemmBuffers() { }

    /** This thread's buffers with room for the given sizes. */
    static GemmBuffers get(int aSize, int bSize, int tileSize) {
        GemmBuffers g = LOCAL.get();
        if (g.a.length < aSize) g.a = new float[aSize];
        if (g.b.length < bSize) g.b = new float[bSize];
        if (g.tile.length < tileSize) g.tile = new float[tileSize];
        return g;
    }
}
