package org.neurite.layers.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Schedules against values worked out from PyTorch's formulas. */
class LrScheduleTest {
    @Test void stepHalvesEveryPeriod() {
        LrSchedule s = LrSchedule.step(0.1, 10, 0.5);
        assertEquals(0.1, s.lr(0), 1e-15);
        assertEquals(0.1, s.lr(9), 1e-15);
        assertEquals(0.05, s.lr(10), 1e-15);
        assertEquals(0.025, s.lr(25), 1e-15);
    }

    @Test void exponentialIsSmooth() {
        LrSchedule s = LrSchedule.exponential(1.0, 4, 0.5);
        assertEquals(1.0, s.lr(0), 1e-15);
        assertEquals(Math.pow(0.5, 0.25), s.lr(1), 1e-15);
        assertEquals(0.5, s.lr(4), 1e-15);
    }

    @Test void cosineFromLrToMinimum() {
        LrSchedule s = LrSchedule.cosine(0.2, 100, 0.0);
        assertEquals(0.2, s.lr(0), 1e-15);
        assertEquals(0.1, s.lr(50), 1e-12);              // half way: cos(pi/2) = 0
        assertEquals(0.2 * 0.5 * (1 + Math.cos(Math.PI / 4)), s.lr(25), 1e-12);
        assertEquals(0.0, s.lr(100), 0);
        assertEquals(0.0, s.lr(1000), 0);
    }

    @Test void warmupRampsLinearlyThenHandsOver() {
        LrSchedule s = LrSchedule.warmup(LrSchedule.constant(0.4), 4);
        assertEquals(0.1, s.lr(0), 1e-15);
        assertEquals(0.2, s.lr(1), 1e-15);
        assertEquals(0.4, s.lr(3), 1e-15);
        assertEquals(0.4, s.lr(4), 1e-15);
    }

    @Test void badPeriodsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.step(0.1, 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(0.1, -1, 0));
    }
}
