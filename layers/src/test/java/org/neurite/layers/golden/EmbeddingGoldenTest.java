package org.neurite.layers.golden;

import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.neurite.layers.Mode;
import org.neurite.layers.embedding.Embedding;
import org.neurite.runtime.Rng;

/**
 * Embedding against PyTorch's nn.Embedding: ids [T, N] with repeated tokens (their gradients add
 * into one row) and tokens that never occur (zero gradient rows); output and weight gradient.
 */
class EmbeddingGoldenTest {
    private static final Golden GOLDEN = Golden.load("embedding");

    @Test void lookupAndScatterAdd() {
        String c = "lookup";
        Embedding emb = new Embedding(GOLDEN.integer(c, "vocab"), GOLDEN.integer(c, "dim"), new Rng(2));
        emb.weight().value().copyFrom(GOLDEN.tensor(c, "weight"));
        emb.zeroGrad();
        Golden.assertForward("embedding y", GOLDEN.tensor(c, "y"), emb.forward(GOLDEN.tensor(c, "x"), Mode.TRAIN));
        assertNull(emb.backward(GOLDEN.tensor(c, "dy")), "ids have no gradient");
        Golden.assertGrad("embedding dweight", GOLDEN.tensor(c, "dweight"), emb.weight().grad());
    }
}
