// Batch-norm pieces cuDNN has no call for (float32, NCHW with a sample stride).
//
// x and dX are (n, channels, spatial) with sample stride xStride (>= channels * spatial: a channel
// prefix of a wider buffer); y and dY the same with yStride. Per-channel vectors hold `channels`
// floats. Built to PTX by native-kernels/build-ptx.sh; the Java side lists these names in
// KernelCatalog.

#define GRID_STRIDE_LOOP(i, n) \
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += blockDim.x * gridDim.x)

// Threads per block of bn_backward_fixed_f32 (a power of two: the tree reduction halves it).
#define BN_BLOCK 256

// y = x * (gamma * invStd) + (beta - mean * gamma * invStd) with given statistics and no update
// (a training forward recomputed from its saved statistics). Grid-stride over n * channels * spatial.
extern "C" __global__ void bn_normalize_f32(int n, int channels, int spatial, int xStride, int yStride,
                                            const float* __restrict__ x, const float* __restrict__ gamma,
                                            const float* __restrict__ beta, const float* __restrict__ mean,
                                            const float* __restrict__ invStd, float* __restrict__ y) {
    int total = n * channels * spatial;
    GRID_STRIDE_LOOP(e, total) {
        int j = e % spatial;
        int c = (e / spatial) % channels;
        int i = e / (spatial * channels);
        float s = gamma[c] * invStd[c];
        float shift = beta[c] - mean[c] * gamma[c] * invStd[c];
        y[(long long) i * yStride + c * spatial + j] = x[(long long) i * xStride + c * spatial + j] * s + shift;
    }
}

// Backward with fixed statistics: dGamma[c] += sum(dY * (x - mean) * invStd), dBeta[c] += sum dY,
// and, when dx is not null, dX = gamma * invStd * dY (written, or added when accumulateDx != 0).
// The parameter gradients are the same with batch statistics, so with dx null this is also the
// parameter-only backward of a training forward.
// One block of BN_BLOCK threads per channel (channels walked grid-stride); each thread sums a
// strided share in double, then a fixed tree adds the shares: deterministic.
extern "C" __global__ void bn_backward_fixed_f32(int n, int channels, int spatial, int xStride, int yStride,
                                                 const float* __restrict__ x, const float* __restrict__ dy,
                                                 const float* __restrict__ gamma, const float* __restrict__ mean,
                                                 const float* __restrict__ invStd, float* dx, int accumulateDx,
                                                 float* __restrict__ dGamma, float* __restrict__ dBeta) {
    __shared__ double sumDy[BN_BLOCK];
    __shared__ double sumDyXc[BN_BLOCK];
    int m = n * spatial;
    for (int c = blockIdx.x; c < channels; c += gridDim.x) {
        float mu = mean[c], is = invStd[c];
        double a = 0.0, b = 0.0;
        for (int e = threadIdx.x; e < m; e += blockDim.x) {
            int i = e / spatial, j = e % spatial;
            float d = dy[(long long) i * yStride + c * spatial + j];
            a += d;
            b += d * (x[(long long) i * xStride + c * spatial + j] - mu);
        }
        sumDy[threadIdx.x] = a;
        sumDyXc[threadIdx.x] = b;
        __syncthreads();
        for (int s = blockDim.x / 2; s > 0; s >>= 1) {
            if (threadIdx.x < s) {
                sumDy[threadIdx.x] += sumDy[threadIdx.x + s];
                sumDyXc[threadIdx.x] += sumDyXc[threadIdx.x + s];
            }
            __syncthreads();
        }
        if (threadIdx.x == 0) {
            dGamma[c] += (float) (sumDyXc[0] * is);
            dBeta[c] += (float) sumDy[0];
        }
        __syncthreads();   // the shares are read before the next channel overwrites them
        if (dx != nullptr) {
            float k = gamma[c] * is;
            for (int e = threadIdx.x; e < m; e += blockDim.x) {
                int i = e / spatial, j = e % spatial;
                long long xo = (long long) i * xStride + c * spatial + j;
                float g = k * dy[(long long) i * yStride + c * spatial + j];
                dx[xo] = accumulateDx ? dx[xo] + g : g;
            }
        }
    }
}
