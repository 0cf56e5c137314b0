// Embedding lookup, its deterministic scatter-add backward, and one-hot encoding, float32.
//
// Token ids and index tables travel as float tensors holding exact integers (below 2^24), as the
// token ids themselves do (Tensor is float32-only); the host has checked every id before a launch.
// The backward uses no atomics: the host groups the positions of each distinct id (EmbeddingRows),
// and one thread owns each (distinct id, column) pair, adding that id's rows in position order:
// the same additions in the same order as the CPU's loop, so the same bits on every run.
// Grid-stride loops; launch with 256 threads per block. Built to PTX by native-kernels/build-ptx.sh.

#define GRID_STRIDE_LOOP(i, n) \
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += blockDim.x * gridDim.x)

// y[p, j] = w[ids[p], j]: ids is (n), w is (vocab, dim), y is (n, dim).
extern "C" __global__ void embedding_gather_f32(int n, int dim, const float* __restrict__ ids,
                                                const float* __restrict__ w, float* __restrict__ y) {
    int total = n * dim;
    GRID_STRIDE_LOOP(k, total) {
        int p = k / dim, j = k - p * dim;
        y[k] = w[(int) ids[p] * dim + j];
    }
}

// dw[row[u], j] += dy[pos[off[u]], j] + ... + dy[pos[off[u+1]-1], j], added one by one in order.
// rows is (unique): the distinct ids; offsets is (unique + 1); positions is (n): the positions of
// each distinct id, ascending, grouped by id. dy is (n, dim); dw is (vocab, dim).
extern "C" __global__ void embedding_scatter_add_f32(int unique, int dim, const float* __restrict__ rows,
                                                     const float* __restrict__ offsets, const float* __restrict__ positions,
                                                     const float* __restrict__ dy, float* __restrict__ dw) {
    int total = unique * dim;
    GRID_STRIDE_LOOP(k, total) {
        int u = k / dim, j = k - u * dim;
        int at = (int) rows[u] * dim + j;
        float acc = dw[at];
        int end = (int) offsets[u + 1];
        for (int q = (int) offsets[u]; q < end; q++) acc += dy[(int) positions[q] * dim + j];
        dw[at] = acc;
    }
}

// y[p, v] = (v == ids[p]) ? 1 : 0: ids is (n), y is (n, vocab); every element written.
extern "C" __global__ void one_hot_f32(int n, int vocab, const float* __restrict__ ids, float* __restrict__ y) {
    int total = n * vocab;
    GRID_STRIDE_LOOP(k, total) {
        int p = k / vocab;
        y[k] = (k - p * vocab) == (int) ids[p] ? 1.0f : 0.0f;
    }
}
