package org.neurite.layers.embedding;

import java.util.Arrays;

/**
 * The positions of a batch of token ids grouped by id, for a scatter-add without atomics: the
 * distinct ids ({@code rows}, ascending), where each id's positions start in {@code positions}
 * ({@code offsets}, one more than the rows), and the positions themselves, ascending within an id.
 * One GPU thread per (distinct id, column) then adds that id's gradient rows in position order,
 * which is the CPU loop's order for that row: the same sum, bit for bit, on every run.
 * Tables are floats (exact integers below 2^24) because they travel as float tensors.
 *
 * <pre>{@code
 * EmbeddingRows g = EmbeddingRows.group(new int[] {3, 1, 3});  // rows {1, 3}, offsets {0, 1, 3}, positions {1, 0, 2}
 * }</pre>
 */
record EmbeddingRows(int unique, float[] rows, float[] offsets, float[] positions) {
    /** Largest position or id that a float holds exactly. */
    static final int EXACT = 1 << 24;

    /** Groups the positions of {@code ids} (each already checked to be in [0, vocab)). */
    static EmbeddingRows group(int[] ids) {
        int n = ids.length;
        if (n > EXACT) throw new IllegalArgumentException("Embedding: " + n + " ids in one batch; at most 2^24 on a GPU");
        long[] keys = new long[n];
        for (int p = 0; p < n; p++) {
            if (ids[p] >= EXACT) throw new IllegalArgumentException("Embedding: id " + ids[p] + " is beyond 2^24, the GPU tables' limit");
            keys[p] = ((long) ids[p] << 32) | p;     // sorting by (id, position) groups and orders in one go
        }
        Arrays.sort(keys);
        float[] rows = new float[n], offsets = new float[n + 1], positions = new float[n];
        int u = 0;
        for (int q = 0; q < n; q++) {
            int id = (int) (keys[q] >>> 32);
            if (q == 0 || id != (int) (keys[q - 1] >>> 32)) {
                rows[u] = id;
                offsets[u++] = q;
            }
            positions[q] = (int) keys[q];
        }
        offsets[u] = n;
        return new EmbeddingRows(u, rows, offsets, positions);
    }
}
