// Per-step checks of the training loop, computed where the tensors live so a step downloads a few
// numbers instead of whole tensors.
//
// nonfinite_flag_f32: flags[index] = 1 when x (n) holds a NaN or an infinity. Launch once per
//   tensor (grid-stride, 256 threads per block) into a zeroed flags buffer; every writer stores
//   the same value, so the result does not depend on thread order.
// argmax_rows_f32: out[r] = the index of the largest of row r of x (rows, cols), first on ties,
//   as a float; one thread per row scanning in order, exactly the CPU's loop (a NaN never wins
//   against an earlier element).

#define GRID_STRIDE_LOOP(i, n) \
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += blockDim.x * gridDim.x)

extern "C" __global__ void nonfinite_flag_f32(int n, const float* __restrict__ x, float* __restrict__ flags, int index) {
    GRID_STRIDE_LOOP(i, n) {
        if (!isfinite(x[i])) {
            flags[index] = 1.0f;
            return;   // one hit per thread is enough
        }
    }
}

extern "C" __global__ void argmax_rows_f32(int rows, int cols, const float* __restrict__ x, float* __restrict__ out) {
    GRID_STRIDE_LOOP(r, rows) {
        const float* xr = x + (size_t) r * cols;   // xr is (cols)
        int best = 0;
        float v = xr[0];
        for (int j = 1; j < cols; j++) {
            if (xr[j] > v) {
                v = xr[j];
                best = j;
            }
        }
        out[r] = (float) best;
    }
}
