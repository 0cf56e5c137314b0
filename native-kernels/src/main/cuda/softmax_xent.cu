// Fused softmax + cross-entropy, forward and gradient in one pass (llm.c's fused classifier).
//
// logits is (rows, cols), labels is (rows) with values in [0, cols), losses is (rows).
// One block per row (grid = rows); blockDim.x a multiple of 32, at most 1024 (256 is a good choice).
// For row r with m = max_j logits[r, j] and s = sum_j exp(logits[r, j] - m):
//   losses[r]     = log(s) - (logits[r, labels[r]] - m)                       (= -log softmax)
//   dlogits[r, j] = dscale * (exp(logits[r, j] - m) / s - (j == labels[r]))   (written, not added)
// dscale is the upstream gradient of each row's loss (1/rows for a mean loss). dlogits may be
// NULL (evaluation: loss only) or the logits buffer itself (in-place gradient). A label outside
// [0, cols) gives a NaN loss, so the caller's finite-loss check reports it.

#include <math.h>

#define WARP 32
#define FULL_MASK 0xffffffffu

__device__ __forceinline__ float warp_max(float v) {
    for (int offset = WARP / 2; offset > 0; offset >>= 1) v = fmaxf(v, __shfl_xor_sync(FULL_MASK, v, offset));
    return v;
}

__device__ __forceinline__ float warp_sum(float v) {
    for (int offset = WARP / 2; offset > 0; offset >>= 1) v += __shfl_xor_sync(FULL_MASK, v, offset);
    return v;
}

// Max of v over the block; every thread gets the result. shared holds one float per warp.
__device__ float block_max(float v, float* shared) {
    int lane = threadIdx.x % WARP, warp = threadIdx.x / WARP, warps = blockDim.x / WARP;
    v = warp_max(v);
    if (lane == 0) shared[warp] = v;
    __syncthreads();
    v = lane < warps ? shared[lane] : -INFINITY;
    v = warp_max(v);
    __syncthreads();  // shared is reused by the next reduction
    return v;
}

// Sum of v over the block; every thread gets the result.
__device__ float block_sum(float v, float* shared) {
    int lane = threadIdx.x % WARP, warp = threadIdx.x / WARP, warps = blockDim.x / WARP;
    v = warp_sum(v);
    if (lane == 0) shared[warp] = v;
    __syncthreads();
    v = lane < warps ? shared[lane] : 0.0f;
    v = warp_sum(v);
    __syncthreads();
    return v;
}

extern "C" __global__ void softmax_xent_f32(int rows, int cols,
                                            const float* logits, const int* __restrict__ labels,
                                            float* __restrict__ losses, float* dlogits, float dscale) {
    __shared__ float shared[WARP];
    int r = blockIdx.x;
    if (r >= rows) return;
    const float* x = logits + (size_t) r * cols;   // x is (cols)

    float m = -INFINITY;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) m = fmaxf(m, x[j]);
    m = block_max(m, shared);

    float s = 0.0f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) s += expf(x[j] - m);
    s = block_sum(s, shared);

    int label = labels[r];
    bool valid = label >= 0 && label < cols;
    if (threadIdx.x == 0) losses[r] = valid ? logf(s) - (x[label] - m) : nanf("");

    if (dlogits != NULL) {
        float* dx = dlogits + (size_t) r * cols;   // dx is (cols)
        float inv = 1.0f / s;
        for (int j = threadIdx.x; j < cols; j += blockDim.x) {
            float p = expf(x[j] - m) * inv;
            dx[j] = dscale * (p - (j == label ? 1.0f : 0.0f));
        }
    }
}
