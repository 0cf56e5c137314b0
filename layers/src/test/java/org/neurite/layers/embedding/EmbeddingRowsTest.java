package org.neurite.layers.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.neurite.runtime.Rng;

/** The grouping behind the GPU's atomic-free scatter-add, and that it reproduces the CPU's sums bit for bit. */
class EmbeddingRowsTest {
    @Test void positionsAreGroupedByIdInAscendingOrder() {
        EmbeddingRows g = EmbeddingRows.group(new int[] {3, 1, 3, 0, 1, 3});
        assertEquals(3, g.unique());
        assertArrayEquals(new float[] {0, 1, 3}, java.util.Arrays.copyOf(g.rows(), 3));
        assertArrayEquals(new float[] {0, 1, 3, 6}, java.util.Arrays.copyOf(g.offsets(), 4));
        assertArrayEquals(new float[] {3, 1, 4, 0, 2, 5}, g.positions());
    }

    @Test void idsBeyondWhatAFloatHoldsExactlyAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> EmbeddingRows.group(new int[] {1 << 24}));
    }

    /** embedding_scatter_add_f32 in Java: one (row, column) owner adding its positions in order. */
    private static void kernel(EmbeddingRows g, int dim, float[] dy, float[] dw) {
        for (int u = 0; u < g.unique(); u++) {
            for (int j = 0; j < dim; j++) {
                int at = (int) g.rows()[u] * dim + j;
                float acc = dw[at];
                for (int q = (int) g.offsets()[u]; q < (int) g.offsets()[u + 1]; q++) acc += dy[(int) g.positions()[q] * dim + j];
                dw[at] = acc;
            }
        }
    }

    @Test void theGroupedScatterAddGivesTheCpuLoopsBits() {
        Rng rng = new Rng(5);
        int n = 200, vocab = 7, dim = 3;
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = (int) (rng.nextFloat() * vocab);
        float[] dy = new float[n * dim], cpu = new float[vocab * dim];
        rng.normal(dy, 0, dy.length, 0f, 1f);
        rng.normal(cpu, 0, cpu.length, 0f, 1f);
        float[] gpu = cpu.clone();
        for (int i = 0; i < n; i++) for (int j = 0; j < dim; j++) cpu[ids[i] * dim + j] += dy[i * dim + j];   // Embedding.backward
        kernel(EmbeddingRows.group(ids), dim, dy, gpu);
        assertArrayEquals(cpu, gpu, 0f);
    }
}
