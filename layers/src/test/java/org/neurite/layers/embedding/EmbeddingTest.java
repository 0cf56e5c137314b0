package org.neurite.layers.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.neurite.layers.GradCheck;
import org.neurite.layers.Mode;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

class EmbeddingTest {
    @Test void looksUpRowsAndScatterAddsGradients() {
        Embedding emb = new Embedding(4, 2, new Rng(1));
        float[] w = {0, 1, 10, 11, 20, 21, 30, 31};
        System.arraycopy(w, 0, emb.weight().value().data(), 0, w.length);
        Tensor ids = Tensor.wrap(Shape.of(3, 1), new float[] {2, 0, 2}); // [T=3, N=1]
        Tensor y = emb.forward(ids, Mode.TRAIN);
        assertEquals(Shape.of(3, 1, 2), y.shape());
        assertArrayEquals(new float[] {20, 21, 0, 1, 20, 21}, y.data());
        emb.zeroGrad();
        assertNull(emb.backward(Tensor.wrap(Shape.of(3, 1, 2), new float[] {1, 2, 3, 4, 5, 6})));
        // Token 2 appears twice: its rows add up.
        assertArrayEquals(new float[] {3, 4, 0, 0, 6, 8, 0, 0}, emb.weight().grad().data());
    }

    @Test void gradientCheck() {
        Embedding emb = new Embedding(5, 3, new Rng(2));
        Tensor ids = Tensor.wrap(Shape.of(3, 2), new float[] {0, 4, 4, 1, 2, 0});
        GradCheck.standard().check(emb, ids, Mode.TRAIN, 3);
    }

    @Test void rejectsIdsOutOfRange() {
        Embedding emb = new Embedding(5, 3, new Rng(2));
        assertThrows(IllegalArgumentException.class, () -> emb.forward(Tensor.wrap(Shape.of(1, 1), new float[] {5}), Mode.TRAIN));
        assertThrows(IllegalArgumentException.class, () -> emb.forward(Tensor.wrap(Shape.of(1, 1), new float[] {1.5f}), Mode.TRAIN));
    }
}
