// Reductions of a time-major sequence x (T, N*C) over time to y (N*C), and their gradients, float32.
//
// One thread per (n, c) column walks the T steps in order, as the CPU's loop does, so the sums are
// the same additions in the same order. LAST needs no kernel (a copy and a memset, SequencePoolCuda).
// Grid-stride loops; launch with 256 threads per block. Built to PTX by native-kernels/build-ptx.sh.

#define GRID_STRIDE_LOOP(i, n) \
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += blockDim.x * gridDim.x)

// y[k] = max over t of x[t, k]; argmax[k] = the first step holding it (as a float). x is (steps, nc).
extern "C" __global__ void seq_max_forward_f32(int steps, int nc, const float* __restrict__ x,
                                               float* __restrict__ y, float* __restrict__ argmax) {
    GRID_STRIDE_LOOP(k, nc) {
        float best = x[k];
        int at = 0;
        for (int t = 1; t < steps; t++) {
            float v = x[t * nc + k];
            if (v > best) { best = v; at = t; }
        }
        y[k] = best;
        argmax[k] = (float) at;
    }
}

// dx[t, k] = (t == argmax[k]) ? dy[k] : 0: every element of dx (steps, nc) written.
extern "C" __global__ void seq_max_backward_f32(int steps, int nc, const float* __restrict__ argmax,
                                                const float* __restrict__ dy, float* __restrict__ dx) {
    int total = steps * nc;
    GRID_STRIDE_LOOP(i, total) {
        int t = i / nc, k = i - t * nc;
        dx[i] = t == (int) argmax[k] ? dy[k] : 0.0f;
    }
}

// y[k] = (x[0, k] + x[1, k] + ... + x[steps-1, k]) * (1 / steps), summed in step order.
extern "C" __global__ void seq_mean_forward_f32(int steps, int nc, float inv, const float* __restrict__ x,
                                                float* __restrict__ y) {
    GRID_STRIDE_LOOP(k, nc) {
        float s = 0.0f;
        for (int t = 0; t < steps; t++) s += x[t * nc + k];
        y[k] = s * inv;
    }
}

// dx[t, k] = dy[k] * (1 / steps): every element of dx (steps, nc) written.
extern "C" __global__ void seq_mean_backward_f32(int steps, int nc, float inv, const float* __restrict__ dy,
                                                 float* __restrict__ dx) {
    int total = steps * nc;
    GRID_STRIDE_LOOP(i, total) dx[i] = dy[i % nc] * inv;
}
