// Deterministic block-wide sums in double, shared by the kernels that reduce partial sums (losses.cu,
// clip.cu): warp shuffles in a fixed tree order, then one value per warp through shared memory. No
// include guard on purpose: the host check (host-check/) includes each kernel file in its own
// namespace, and each needs its own copy.

#define WARP 32
#define FULL_MASK 0xffffffffu

__device__ __forceinline__ double warp_sum_d(double v) {
    for (int offset = WARP / 2; offset > 0; offset >>= 1) v += __shfl_xor_sync(FULL_MASK, v, offset);
    return v;
}

// Sum of v over the block, in a fixed tree order; every thread gets it. shared: one double per warp.
// blockDim.x must be a multiple of 32.
__device__ double block_sum_d(double v, double* shared) {
    int lane = threadIdx.x % WARP, warp = threadIdx.x / WARP, warps = blockDim.x / WARP;
    v = warp_sum_d(v);
    if (lane == 0) shared[warp] = v;
    __syncthreads();
    v = lane < warps ? shared[lane] : 0.0;
    v = warp_sum_d(v);
    __syncthreads();  // shared is reused by the next reduction
    return v;
}
