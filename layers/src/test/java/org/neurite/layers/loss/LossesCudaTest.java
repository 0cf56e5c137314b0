package org.neurite.layers.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The host-side logic of the CUDA loss engine, checked without a GPU. */
class LossesCudaTest {
    @Test void gridDependsOnTheSizeAloneAndCapsAt1024Blocks() {
        assertEquals(1, LossesCuda.blocksFor(1));
        assertEquals(1, LossesCuda.blocksFor(256));
        assertEquals(2, LossesCuda.blocksFor(257));
        assertEquals(40, LossesCuda.blocksFor(10_000));
        assertEquals(1024, LossesCuda.blocksFor(1024 * 256));
        assertEquals(1024, LossesCuda.blocksFor(1024 * 256 + 1));
        assertEquals(1024, LossesCuda.blocksFor(Integer.MAX_VALUE), "no int overflow in the rounding up");
        assertEquals(0, LossesCuda.BLOCK % 32, "the block reductions need whole warps");
    }

    @Test void finishKernelsTargetCheckIsDecodedFromItsBits() {
        // loss_finish_f32 writes __int_as_float(first bad index + 1), 0 when every target is fine.
        assertEquals(-1, LossesCuda.firstBad(Float.intBitsToFloat(0)));
        assertEquals(0, LossesCuda.firstBad(Float.intBitsToFloat(1)));
        assertEquals(41, LossesCuda.firstBad(Float.intBitsToFloat(42)));
        assertEquals(Integer.MAX_VALUE - 1, LossesCuda.firstBad(Float.intBitsToFloat(Integer.MAX_VALUE)));
    }
}
