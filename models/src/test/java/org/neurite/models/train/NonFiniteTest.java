package org.neurite.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurite.layers.Param;
import org.neurite.runtime.Tensor;

/** Finding the parameter that went non-finite, in backward order. */
class NonFiniteTest {
    @Test void firstBadGradientCountsFromTheOutput() {
        List<Param> ps = List.of(Param.of("conv1.weight", Tensor.zeros(3)), Param.of("fc1.weight", Tensor.zeros(2)),
                Param.of("fc2.weight", Tensor.zeros(2)));
        assertNull(NonFinite.firstBadGradient(ps));
        ps.get(0).grad().set(1, Float.NaN);
        assertEquals("conv1.weight", NonFinite.firstBadGradient(ps).name());
        ps.get(1).grad().set(0, Float.NEGATIVE_INFINITY);
        assertEquals("fc1.weight", NonFinite.firstBadGradient(ps).name()); // nearer the output: computed first
        assertNull(NonFinite.firstBadValue(ps));
        ps.get(2).value().set(1, Float.POSITIVE_INFINITY);
        assertEquals("fc2.weight", NonFinite.firstBadValue(ps).name());
        ps.get(2).value().set(1, -3e12f);
        assertEquals("fc2.weight (max |w| 3.00e+12)", NonFinite.largestValue(ps));
    }
}
