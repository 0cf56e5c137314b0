package org.neurite.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Keras' rule: stop after `patience` epochs in a row without a strict improvement. */
class EarlyStoppingTest {
    @Test void lossMustFallAccuracyMustRise() {
        EarlyStopping loss = new EarlyStopping("val_loss", 2);
        assertFalse(loss.update(1, 0.50));
        assertFalse(loss.update(2, 0.40));
        assertFalse(loss.update(3, 0.40)); // equal is no improvement: 1 bad epoch
        assertTrue(loss.update(4, 0.45));  // 2 bad epochs: stop
        assertEquals(0.40, loss.best());
        assertEquals(2, loss.bestEpoch());

        EarlyStopping acc = new EarlyStopping("val_accuracy", 1);
        assertFalse(acc.update(1, 0.8));
        assertFalse(acc.update(2, 0.9));
        assertTrue(acc.update(3, 0.85));
    }

    @Test void restoredStateContinuesTheCount() {
        EarlyStopping a = new EarlyStopping("val_loss", 3);
        a.update(1, 1.0);
        a.update(2, 1.1);
        EarlyStopping b = new EarlyStopping("val_loss", 3);
        b.restore(a.best(), a.bestEpoch(), a.epochsWithoutImprovement());
        assertFalse(b.update(3, 1.2));
        assertTrue(b.update(4, 1.0)); // not below the best 1.0: third bad epoch
    }
}
