// Cross-channel local response normalisation with PyTorch's window (float32, [n, channels, spatial]).
//
// W(c) = [c - size/2, c + (size-1)/2] clipped to the channels. cuDNN's window is
// [c - (size-1)/2, c + size/2]: the same for odd sizes, mirrored for even ones, so the engine runs
// these kernels where cuDNN's would differ (even sizes) or refuses (size > 16, k < 1e-5,
// beta < 0.01). s_c = k + alpha/size * sum_{c' in W(c)} x_{c'}^2, y_c = x_c s_c^-beta,
// dx_j = dY_j s_j^-beta - (2 alpha beta / size) x_j sum_{i : j in W(i)} dY_i y_i / s_i.
// Built to PTX by native-kernels/build-ptx.sh; the Java side lists these names in KernelCatalog.

#define GRID_STRIDE_LOOP(i, n) \
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += blockDim.x * gridDim.x)

// Writes y and the scale s (kept for the backward). Grid-stride over n * channels * spatial.
extern "C" __global__ void lrn_forward_f32(int n, int channels, int spatial, int size, float alphaOverSize,
                                           float beta, float k, const float* __restrict__ x,
                                           float* __restrict__ scale, float* __restrict__ y) {
    int total = n * channels * spatial;
    GRID_STRIDE_LOOP(e, total) {
        int j = e % spatial;
        int c = (e / spatial) % channels;
        int i = e / (spatial * channels);
        int lo = max(0, c - size / 2), hi = min(channels - 1, c + (size - 1) / 2);
        const float* xs = x + (long long) i * channels * spatial + j;
        float sq = 0.0f;
        for (int cc = lo; cc <= hi; cc++) {
            float v = xs[(long long) cc * spatial];
            sq += v * v;
        }
        float s = k + alphaOverSize * sq;
        scale[e] = s;
        y[e] = x[e] * powf(s, -beta);
    }
}

// ratio = dY * y / s, the backward's per-element term.
extern "C" __global__ void lrn_ratio_f32(int total, const float* __restrict__ dy, const float* __restrict__ y,
                                         const float* __restrict__ scale, float* __restrict__ ratio) {
    GRID_STRIDE_LOOP(e, total) ratio[e] = dy[e] * y[e] / scale[e];
}

// dX from dY, x, the forward's scale and lrn_ratio_f32's ratio; coef = 2 alpha beta / size.
extern "C" __global__ void lrn_backward_f32(int n, int channels, int spatial, int size, float beta, float coef,
                                            const float* __restrict__ x, const float* __restrict__ dy,
                                            const float* __restrict__ scale, const float* __restrict__ ratio,
                                            float* __restrict__ dx) {
    int total = n * channels * spatial;
    GRID_STRIDE_LOOP(e, total) {
        int j = e % spatial;
        int c = (e / spatial) % channels;
        int i = e / (spatial * channels);
        // the channels whose windows contain c
        int lo = max(0, c - (size - 1) / 2), hi = min(channels - 1, c + size / 2);
        const float* rs = ratio + (long long) i * channels * spatial + j;
        float acc = 0.0f;
        for (int cc = lo; cc <= hi; cc++) acc += rs[(long long) cc * spatial];
        dx[e] = dy[e] * powf(scale[e], -beta) - coef * x[e] * acc;
    }
}
