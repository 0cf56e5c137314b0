// The LeNet-1998 pieces cuDNN lacks (LeCun et al. 1998), float32: trainable 2x2 subsampling, the
// scaled tanh squashing function, and C3's connection-table masking of a dense filter.
//
// Products and sums use __fmul_rn / __fadd_rn where the CPU engine computes them apart, so nvcc
// does not contract them into one FMA: the same roundings as the CPU's Java loops. Reductions run
// in the CPU's order (one thread per plane, then one thread per channel over its planes): no
// atomics, the same bits on every run. Index tables travel as float tensors holding exact integers.
// Grid-stride loops; launch with 256 threads per block. Built to PTX by native-kernels/build-ptx.sh.

#define GRID_STRIDE_LOOP(i, n) \
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += blockDim.x * gridDim.x)

// x is (planes, h, w) with planes = N * C and plane p of channel p % C; y and sums are (planes, h/2, w/2).
// sums = x00 + x01 + x10 + x11 of each 2x2 window; y = weight[c] * sums + bias[c].
extern "C" __global__ void subsample_forward_f32(int planes, int channels, int h, int w,
                                                 const float* __restrict__ x, const float* __restrict__ weight,
                                                 const float* __restrict__ bias, float* __restrict__ sums,
                                                 float* __restrict__ y) {
    int oh = h / 2, ow = w / 2, total = planes * oh * ow;
    GRID_STRIDE_LOOP(k, total) {
        int p = k / (oh * ow), r = k - p * oh * ow, i = r / ow, j = r - i * ow, c = p % channels;
        const float* r0 = x + (long) p * h * w + 2 * i * w + 2 * j;
        const float* r1 = r0 + w;
        float s = __fadd_rn(__fadd_rn(__fadd_rn(r0[0], r0[1]), r1[0]), r1[1]);
        sums[k] = s;
        y[k] = __fadd_rn(__fmul_rn(weight[c], s), bias[c]);
    }
}

// dx[p, 2i+a, 2j+b] = dy[p, i, j] * weight[c] for a, b in {0, 1}: every element of dx written.
extern "C" __global__ void subsample_backward_data_f32(int planes, int channels, int h, int w,
                                                       const float* __restrict__ dy, const float* __restrict__ weight,
                                                       float* __restrict__ dx) {
    int oh = h / 2, ow = w / 2, total = planes * h * w;
    GRID_STRIDE_LOOP(k, total) {
        int p = k / (h * w), r = k - p * h * w, row = r / w, col = r - row * w;
        dx[k] = __fmul_rn(dy[(long) p * oh * ow + (row / 2) * ow + col / 2], weight[p % channels]);
    }
}

// Per plane p: dwPlane[p] = sum of dy * sums, dbPlane[p] = sum of dy, over its pixels in order.
extern "C" __global__ void subsample_plane_grads_f32(int planes, int plane, const float* __restrict__ dy,
                                                     const float* __restrict__ sums, float* __restrict__ dwPlane,
                                                     float* __restrict__ dbPlane) {
    GRID_STRIDE_LOOP(p, planes) {
        float dw = 0.0f, db = 0.0f;
        const float* g = dy + (long) p * plane;
        const float* s = sums + (long) p * plane;
        for (int q = 0; q < plane; q++) {
            dw = __fadd_rn(dw, __fmul_rn(g[q], s[q]));
            db = __fadd_rn(db, g[q]);
        }
        dwPlane[p] = dw;
        dbPlane[p] = db;
    }
}

// dW[c] += dwPlane[c], dwPlane[c + C], ... one at a time in plane order; dB likewise.
extern "C" __global__ void subsample_channel_grads_f32(int planes, int channels, const float* __restrict__ dwPlane,
                                                       const float* __restrict__ dbPlane, float* __restrict__ dW,
                                                       float* __restrict__ dB) {
    GRID_STRIDE_LOOP(c, channels) {
        float w = dW[c], b = dB[c];
        for (int p = c; p < planes; p += channels) {
            w = __fadd_rn(w, dwPlane[p]);
            b = __fadd_rn(b, dbPlane[p]);
        }
        dW[c] = w;
        dB[c] = b;
    }
}

// y = a * tanh(s * x). x and y may be the same buffer.
extern "C" __global__ void scaled_tanh_forward_f32(int n, float a, float s, const float* x, float* y) {
    GRID_STRIDE_LOOP(i, n) y[i] = __fmul_rn(a, tanhf(__fmul_rn(s, x[i])));
}

// dx = dy * s * (a - y * y / a), from the forward's output y (written, not accumulated).
extern "C" __global__ void scaled_tanh_backward_f32(int n, float a, float s, const float* __restrict__ y,
                                                    const float* __restrict__ dy, float* __restrict__ dx) {
    GRID_STRIDE_LOOP(i, n) {
        float v = y[i];
        dx[i] = __fmul_rn(__fmul_rn(dy[i], s), __fsub_rn(a, __fdiv_rn(__fmul_rn(v, v), a)));
    }
}

// full[at[i] + j] = w[i * rs + j]: connection i's filter (rs = R * S floats) into the dense filter
// [K, C, R, S] at its (output map, input map) slice; unconnected slices are left as they are (zero).
extern "C" __global__ void partial_conv_scatter_f32(int connections, int rs, const float* __restrict__ at,
                                                    const float* __restrict__ w, float* __restrict__ full) {
    int total = connections * rs;
    GRID_STRIDE_LOOP(k, total) {
        int i = k / rs;
        full[(int) at[i] + (k - i * rs)] = w[k];
    }
}

// g[i * rs + j] += fullGrad[at[i] + j]: the connected slices of the dense filter gradient, gathered back.
extern "C" __global__ void partial_conv_gather_add_f32(int connections, int rs, const float* __restrict__ at,
                                                       const float* __restrict__ fullGrad, float* __restrict__ g) {
    int total = connections * rs;
    GRID_STRIDE_LOOP(k, total) {
        int i = k / rs;
        g[k] = __fadd_rn(g[k], fullGrad[(int) at[i] + (k - i * rs)]);
    }
}
