// Gradient clipping by global L2 norm (PyTorch's clip_grad_norm_) without a host round trip
// between the norm and the scaling:
//   1. sumsq_partial_f32 per gradient tensor: one double partial sum of squares per block;
//   2. clip_factor_f32, one block: adds every partial in a fixed order, writes the norm and the
//      factor maxNorm / (norm + 1e-6) (1 when the norm is not finite or the factor is >= 1);
//   3. clip_scale_f32 per gradient tensor: g *= factor, read from device memory.
// No atomics on floats, and the grids depend only on the tensor sizes (see GradClipCuda), so the
// result is the same on every run. Launch with 256 threads per block (a multiple of 32).

#include <math.h>

#include "block_sum.cuh"

#define GRID_STRIDE_LOOP(i, n) \
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += blockDim.x * gridDim.x)

// g is (n); partials (gridDim.x): partials[b] = sum over block b's elements of g^2.
extern "C" __global__ void sumsq_partial_f32(int n, const float* __restrict__ g, double* __restrict__ partials) {
    __shared__ double shared[WARP];
    double acc = 0.0;
    GRID_STRIDE_LOOP(i, n) {
        double v = g[i];
        acc += v * v;
    }
    acc = block_sum_d(acc, shared);
    if (threadIdx.x == 0) partials[blockIdx.x] = acc;
}

// One block. out[0] = (float) norm, out[1] = the factor clip_scale_f32 applies (1: leave as is).
extern "C" __global__ void clip_factor_f32(int count, const double* __restrict__ partials, double max_norm,
                                           float* __restrict__ out) {
    __shared__ double shared[WARP];
    double s = 0.0;
    for (int i = threadIdx.x; i < count; i += blockDim.x) s += partials[i];
    s = block_sum_d(s, shared);
    if (threadIdx.x == 0) {
        double norm = sqrt(s);
        double factor = max_norm / (norm + 1e-6);
        out[0] = (float) norm;
        out[1] = isfinite(norm) && factor < 1.0 ? (float) factor : 1.0f;
    }
}

// g is (n); factor points at clip_factor_f32's out[1].
extern "C" __global__ void clip_scale_f32(int n, float* __restrict__ g, const float* __restrict__ factor) {
    float f = *factor;
    if (f == 1.0f) return;
    GRID_STRIDE_LOOP(i, n) g[i] *= f;
}
