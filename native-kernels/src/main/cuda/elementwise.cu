// Element-wise kernels of the Neurite CUDA engine (float32, contiguous, row-major).
//
// Every kernel walks its index range with a grid-stride loop, so any grid size is correct; launch
// with 256 threads per block and min(ceil(n / 256), 65535) blocks. Sizes are int: a tensor holds
// fewer than 2^31 elements (Shape.size()). Pointers are device pointers. Built to PTX by
// native-kernels/build-ptx.sh; the Java side lists these names in KernelCatalog.

#define GRID_STRIDE_LOOP(i, n) \
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += blockDim.x * gridDim.x)

// x[i] = value for i in [0, n).
extern "C" __global__ void fill_f32(int n, float value, float* x) {
    GRID_STRIDE_LOOP(i, n) x[i] = value;
}

// y[i] += alpha * x[i] for i in [0, n).
extern "C" __global__ void axpy_f32(int n, float alpha, const float* __restrict__ x, float* __restrict__ y) {
    GRID_STRIDE_LOOP(i, n) y[i] += alpha * x[i];
}

// x[i] *= alpha for i in [0, n).
extern "C" __global__ void scale_f32(int n, float alpha, float* x) {
    GRID_STRIDE_LOOP(i, n) x[i] *= alpha;
}

// Adds a per-channel bias to an NCHW tensor in place.
// y is (batch, channels, hw) with hw = H * W; bias is (channels).
// y[b, c, p] += bias[c].
extern "C" __global__ void bias_add_nchw_f32(int batch, int channels, int hw,
                                             float* __restrict__ y, const float* __restrict__ bias) {
    int n = batch * channels * hw;
    GRID_STRIDE_LOOP(i, n) y[i] += bias[(i / hw) % channels];
}

// Adds a bias row to every row of a dense [rows, cols] tensor in place (dense layer output).
// y is (rows, cols); bias is (cols). y[r, j] += bias[j].
extern "C" __global__ void bias_add_rows_f32(int rows, int cols,
                                             float* __restrict__ y, const float* __restrict__ bias) {
    int n = rows * cols;
    GRID_STRIDE_LOOP(i, n) y[i] += bias[i % cols];
}

// y[i] = max(x[i], 0). x and y may be the same buffer (in-place ReLU).
extern "C" __global__ void relu_forward_f32(int n, const float* x, float* y) {
    GRID_STRIDE_LOOP(i, n) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

// dx[i] = x[i] > 0 ? dy[i] : 0, where x is the forward input (or output: same sign).
// Activation gradients are written, not accumulated. dx and dy may be the same buffer.
extern "C" __global__ void relu_backward_f32(int n, const float* x, const float* dy, float* dx) {
    GRID_STRIDE_LOOP(i, n) dx[i] = x[i] > 0.0f ? dy[i] : 0.0f;
}

// y[i] = x[i] > 0 ? x[i] : slope * x[i] (leaky ReLU; cuDNN has no such activation mode).
// x and y may be the same buffer.
extern "C" __global__ void leaky_relu_forward_f32(int n, float slope, const float* x, float* y) {
    GRID_STRIDE_LOOP(i, n) y[i] = x[i] > 0.0f ? x[i] : slope * x[i];
}

// dx[i] = x[i] > 0 ? dy[i] : slope * dy[i], where x is the forward input (written, not accumulated).
extern "C" __global__ void leaky_relu_backward_f32(int n, float slope, const float* x, const float* dy, float* dx) {
    GRID_STRIDE_LOOP(i, n) dx[i] = x[i] > 0.0f ? dy[i] : slope * dy[i];
}
