package org.neurite.layers.embedding;

import org.neurite.runtime.Tensor;

/** Reading token ids stored as floats (package helper). */
final class TokenIds {
    private TokenIds() { }

    /** The id at {@code i}, checked to be an integer in [0, vocab). */
    static int at(String who, Tensor ids, int i, int vocab) {
        return at(who, ids.data(), i, vocab);
    }

    /** The id at {@code i} of ids read into a host array (a device run downloads them first). */
    static int at(String who, float[] ids, int i, int vocab) {
        float v = ids[i];
        int id = (int) v;
        if (id != v || id < 0 || id >= vocab) {
            throw new IllegalArgumentException(who + ": input[" + i + "] = " + v + " is not a token id (an integer in [0, " + vocab + "))");
        }
        return id;
    }

    /** {@code dims} with {@code last} appended. */
    static int[] append(int[] dims, int last) {
        int[] d = java.util.Arrays.copyOf(dims, dims.length + 1);
        d[dims.length] = last;
        return d;
    }
}
