// Regression and margin losses of the Neurite CUDA engine (float32, contiguous): mean squared
// error, binary cross-entropy on logits and multi-class hinge. Each kernel writes the gradient of
// the mean loss (written, not added) and one partial sum of the loss per block, in double; then
// loss_finish_f32 adds the partials in a fixed order. No atomics on floats: the same inputs give
// the same bits on every run and every GPU (the grid depends only on the size, see LossesCuda).
//
// Launch the element-wise losses with 256 threads per block (a multiple of 32 is required) and at
// most 1024 blocks; partials holds one double per block.

#include <limits.h>
#include <math.h>

#include "block_sum.cuh"

#define GRID_STRIDE_LOOP(i, n) \
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += blockDim.x * gridDim.x)

__device__ __forceinline__ int warp_sum_i(int v) {
    for (int offset = WARP / 2; offset > 0; offset >>= 1) v += __shfl_xor_sync(FULL_MASK, v, offset);
    return v;
}

__device__ __forceinline__ int warp_min_i(int v) {
    for (int offset = WARP / 2; offset > 0; offset >>= 1) v = min(v, __shfl_xor_sync(FULL_MASK, v, offset));
    return v;
}

__device__ int block_sum_i(int v, int* shared) {
    int lane = threadIdx.x % WARP, warp = threadIdx.x / WARP, warps = blockDim.x / WARP;
    v = warp_sum_i(v);
    if (lane == 0) shared[warp] = v;
    __syncthreads();
    v = lane < warps ? shared[lane] : 0;
    v = warp_sum_i(v);
    __syncthreads();
    return v;
}

__device__ int block_min_i(int v, int* shared) {
    int lane = threadIdx.x % WARP, warp = threadIdx.x / WARP, warps = blockDim.x / WARP;
    v = warp_min_i(v);
    if (lane == 0) shared[warp] = v;
    __syncthreads();
    v = lane < warps ? shared[lane] : INT_MAX;
    v = warp_min_i(v);
    __syncthreads();
    return v;
}

// Mean squared error. x, t, dx are (n); partials (gridDim.x).
//   partials[b] = sum over block b's elements of (x - t)^2      dx = gscale * (x - t)
// with gscale = 2 / n for the mean.
extern "C" __global__ void mse_f32(int n, const float* __restrict__ x, const float* __restrict__ t,
                                   float* __restrict__ dx, float gscale, double* __restrict__ partials) {
    __shared__ double shared[WARP];
    double acc = 0.0;
    GRID_STRIDE_LOOP(i, n) {
        float d = x[i] - t[i];
        acc += (double) d * d;
        dx[i] = gscale * d;
    }
    acc = block_sum_d(acc, shared);
    if (threadIdx.x == 0) partials[blockIdx.x] = acc;
}

// Binary cross-entropy on logits (sigmoid folded in stably). x, t, dx are (n); partials and bad
// (gridDim.x).
//   partials[b] = sum of max(x, 0) - x t + log(1 + e^-|x|)      dx = gscale * (sigmoid(x) - t)
//   bad[b]      = the smallest index of block b whose target is not in [0, 1], INT_MAX if none
// with gscale = 1 / n for the mean. The host turns a bad target into the CPU engine's error.
extern "C" __global__ void bce_logits_f32(int n, const float* __restrict__ x, const float* __restrict__ t,
                                          float* __restrict__ dx, float gscale, double* __restrict__ partials,
                                          int* __restrict__ bad) {
    __shared__ double shared[WARP];
    __shared__ int ishared[WARP];
    double acc = 0.0;
    int first = INT_MAX;
    GRID_STRIDE_LOOP(i, n) {
        float xi = x[i], ti = t[i];
        if (!(ti >= 0.0f && ti <= 1.0f) && i < first) first = i;
        double xd = xi;
        acc += (double) fmaxf(xi, 0.0f) - xd * ti + log1p(exp(-fabs(xd)));
        float sig = 1.0f / (1.0f + expf(-xi));
        dx[i] = (sig - ti) * gscale;
    }
    acc = block_sum_d(acc, shared);
    first = block_min_i(first, ishared);
    if (threadIdx.x == 0) {
        partials[blockIdx.x] = acc;
        bad[blockIdx.x] = first;
    }
}

// Multi-class hinge (margin 1, p = 1), one block per row (grid = rows). x, dx are (rows, cols);
// labels (rows) in [0, cols), checked by the host; partials (rows).
//   partials[r] = sum_{j != y} max(0, 1 - x_y + x_j) / cols
//   dx[r, j]    = unit if that margin is active (j != y), else 0;  dx[r, y] = -(active margins) * unit
// with unit = 1 / (cols * rows) for the mean. A label out of range gives a NaN partial.
extern "C" __global__ void hinge_f32(int rows, int cols, const float* __restrict__ x, const int* __restrict__ labels,
                                     float* __restrict__ dx, float unit, double* __restrict__ partials) {
    __shared__ double shared[WARP];
    __shared__ int ishared[WARP];
    int r = blockIdx.x;
    if (r >= rows) return;
    int y = labels[r];
    if (y < 0 || y >= cols) {   // the same for the whole block, so no thread waits at a barrier
        if (threadIdx.x == 0) partials[r] = nan("");
        return;
    }
    const float* xr = x + (size_t) r * cols;   // xr is (cols)
    float* g = dx + (size_t) r * cols;         // g is (cols)
    float xy = xr[y];
    double s = 0.0;
    int active = 0;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        if (j == y) continue;
        float m = 1.0f - xy + xr[j];
        if (m > 0.0f) {
            s += m;
            g[j] = unit;
            active++;
        } else {
            g[j] = 0.0f;
        }
    }
    s = block_sum_d(s, shared);
    active = block_sum_i(active, ishared);
    if (threadIdx.x == 0) {
        g[y] = -active * unit;
        partials[r] = s / cols;
    }
}

// Adds count partials in a fixed order, one block (blockDim.x a multiple of 32, e.g. 256):
//   out[0] = (float) (scale * sum partials)
//   out[1] = the bits of (the smallest bad index + 1), 0 when bad is NULL or holds only INT_MAX
// so the host reads the loss and the target check in one copy of two floats.
extern "C" __global__ void loss_finish_f32(int count, const double* __restrict__ partials, const int* __restrict__ bad,
                                           double scale, float* __restrict__ out) {
    __shared__ double shared[WARP];
    __shared__ int ishared[WARP];
    double s = 0.0;
    int first = INT_MAX;
    for (int i = threadIdx.x; i < count; i += blockDim.x) {
        s += partials[i];
        if (bad != NULL) first = min(first, bad[i]);
    }
    s = block_sum_d(s, shared);
    first = block_min_i(first, ishared);
    if (threadIdx.x == 0) {
        out[0] = (float) (scale * s);
        out[1] = __int_as_float(first == INT_MAX ? 0 : first + 1);
    }
}
