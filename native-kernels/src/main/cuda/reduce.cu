// Reductions of the Neurite CUDA engine (float32, contiguous, row-major).
//
// Built to PTX by native-kernels/build-ptx.sh; the Java side lists these names in KernelCatalog.

// Column sums added into a vector: the bias gradient of a dense layer.
// dy is (rows, cols), db is (cols); db[j] += sum_r dy[r, j] (parameter gradients accumulate).
// One thread per column, columns walked grid-stride: neighbouring threads read neighbouring
// addresses of each row (coalesced), and every column is summed in row order by one thread, so
// the result is deterministic. Launch with 256 threads per block and ceil(cols / 256) blocks (at
// most 65535).
extern "C" __global__ void col_sum_add_f32(int rows, int cols, const float* __restrict__ dy, float* __restrict__ db) {
    for (int j = blockIdx.x * blockDim.x + threadIdx.x; j < cols; j += blockDim.x * gridDim.x) {
        float s = 0.0f;
        for (int r = 0; r < rows; r++) s += dy[(long long) r * cols + j];
        db[j] += s;
    }
}
