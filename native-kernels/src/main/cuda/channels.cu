// Kernels over a channel prefix of a wider NCHW buffer (DenseNet's block buffer), float32.
//
// A "prefix" is channels [0, c) of every sample of a tensor [N, C >= c, H, W]: sample i's prefix is
// the `len` = c * H * W floats starting at i * stride (stride = C * H * W). Concatenation and split
// along channels need no kernel: they are strided copies (cudaMemcpy2DAsync, see ChannelCopy.java).
// Grid-stride loops over n * len elements; launch with 256 threads per block. Built to PTX by
// native-kernels/build-ptx.sh; the Java side lists these names in KernelCatalog.

#define GRID_STRIDE_LOOP(i, n) \
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += blockDim.x * gridDim.x)

// x[i, 0:len] = max(x[i, 0:len], 0) in place, for every sample i of n; x is (n, stride).
extern "C" __global__ void relu_prefix_f32(int n, int len, int stride, float* x) {
    int total = n * len;
    GRID_STRIDE_LOOP(k, total) {
        int at = (k / len) * stride + k % len;
        x[at] = fmaxf(x[at], 0.0f);
    }
}

// g[i, 0:len] = 0 where y[i, 0:len] <= 0 (the ReLU's gradient, in place); y and g are (n, stride).
// y is the ReLU's output, so y > 0 exactly where the input was > 0. NaN in y zeroes g, as on the CPU.
extern "C" __global__ void relu_prefix_backward_f32(int n, int len, int stride, const float* __restrict__ y,
                                                    float* __restrict__ g) {
    int total = n * len;
    GRID_STRIDE_LOOP(k, total) {
        int at = (k / len) * stride + k % len;
        if (!(y[at] > 0.0f)) g[at] = 0.0f;
    }
}
