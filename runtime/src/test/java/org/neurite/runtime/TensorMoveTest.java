package org.neurite.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Tensor#moveTo} and {@link Tensor#fits} on a machine without a GPU. */
class TensorMoveTest {
    /** A device that is neither the CPU nor a CUDA device: nothing can be allocated on it. */
    private static final Device FAKE = new Device() {
        @Override public Kind kind() { return Kind.CUDA; }
        @Override public String name() { return "fake:0"; }
        @Override public String toString() { return "fake:0"; }
    };

    @Test void movingToTheCurrentDeviceKeepsTheStorage() {
        Tensor t = Tensor.wrap(Shape.of(2, 2), new float[] {1, 2, 3, 4});
        float[] before = t.data();
        t.moveTo(Device.CPU);
        assertSame(before, t.data(), "no copy when the tensor is already there");
        assertSame(Device.CPU, t.device());
    }

    @Test void aFailedMoveLeavesTheTensorWhereItWas() {
        Tensor t = Tensor.wrap(Shape.of(3), new float[] {1, 2, 3});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.moveTo(FAKE));
        assertTrue(e.getMessage().contains("fake:0 is not a CUDA device"), e.getMessage());
        assertSame(Device.CPU, t.device());
        assertArrayEquals(new float[] {1, 2, 3}, t.data());
    }

    @Test void fitsChecksShapeAndDevice() {
        Tensor t = Tensor.zeros(2, 3);
        assertTrue(Tensor.fits(t, Shape.of(2, 3), Device.CPU));
        assertFalse(Tensor.fits(t, Shape.of(3, 2), Device.CPU));
        assertFalse(Tensor.fits(t, Shape.of(2, 3), FAKE), "same shape on another device must be re-planned");
        assertFalse(Tensor.fits(null, Shape.of(2, 3), Device.CPU));
        assertEquals(Tensor.hasShape(t, Shape.of(2, 3)), Tensor.fits(t, Shape.of(2, 3), Device.CPU));
    }
}
