// Dropout with a mask drawn on the host from the model's Rng (exact parity with the CPU engine).
//
// The mask holds 0 or 1/(1-p) per element, as the CPU Dropout keeps it. Built to PTX by
// native-kernels/build-ptx.sh; the Java side lists these names in KernelCatalog.

#define GRID_STRIDE_LOOP(i, n) \
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += blockDim.x * gridDim.x)

// out[i] = in[i] * mask[i]: the forward (in = x) and the backward (in = dY) alike.
extern "C" __global__ void dropout_apply_f32(int n, const float* __restrict__ in, const float* __restrict__ mask,
                                             float* __restrict__ out) {
    GRID_STRIDE_LOOP(i, n) out[i] = in[i] * mask[i];
}
