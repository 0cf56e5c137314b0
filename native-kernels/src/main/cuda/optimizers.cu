// Optimizer updates, one thread per parameter element (grid-stride loop; 256 threads per block).
// w is a parameter tensor, dw its accumulated gradient, the other buffers the optimizer's state for
// it; all have n elements. Hyper-parameters come per call, so schedules change them freely.

#define GRID_STRIDE_LOOP(i, n) \
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += blockDim.x * gridDim.x)

// SGD with momentum, PyTorch's formulation (no dampening):
//   g = dw + weight_decay * w
//   v = momentum * v + g                     (skipped when momentum == 0; v may then be NULL)
//   step = nesterov ? g + momentum * v : v
//   w -= lr * step
extern "C" __global__ void sgd_momentum_f32(int n, float* __restrict__ w, const float* __restrict__ dw,
                                            float* __restrict__ v, float lr, float momentum,
                                            float weight_decay, int nesterov) {
    GRID_STRIDE_LOOP(i, n) {
        float g = dw[i] + weight_decay * w[i];
        if (momentum != 0.0f) {
            float vi = momentum * v[i] + g;
            v[i] = vi;
            g = nesterov ? g + momentum * vi : vi;
        }
        w[i] -= lr * g;
    }
}

// Adam (decoupled == 0: weight decay added to the gradient, L2) and AdamW (decoupled != 0: weight
// decay applied to the weight directly, Loshchilov & Hutter):
//   AdamW: w -= lr * weight_decay * w          Adam: g = dw + weight_decay * w
//   m = beta1 * m + (1 - beta1) * g
//   v = beta2 * v + (1 - beta2) * g * g
//   w -= lr * (m / bias_correction1) / (sqrt(v / bias_correction2) + eps)
// bias_correction1 = 1 - beta1^t and bias_correction2 = 1 - beta2^t for step t >= 1, computed on
// the host once per step.
extern "C" __global__ void adam_f32(int n, float* __restrict__ w, const float* __restrict__ dw,
                                    float* __restrict__ m, float* __restrict__ v,
                                    float lr, float beta1, float beta2, float eps, float weight_decay,
                                    float bias_correction1, float bias_correction2, int decoupled) {
    GRID_STRIDE_LOOP(i, n) {
        float wi = w[i];
        float g = dw[i];
        if (decoupled) wi -= lr * weight_decay * wi;
        else g += weight_decay * wi;
        float mi = beta1 * m[i] + (1.0f - beta1) * g;
        float vi = beta2 * v[i] + (1.0f - beta2) * g * g;
        m[i] = mi;
        v[i] = vi;
        float mhat = mi / bias_correction1;
        float vhat = vi / bias_correction2;
        w[i] = wi - lr * mhat / (sqrtf(vhat) + eps);
    }
}

// AdaGrad, PyTorch's torch.optim.Adagrad (no lr decay, initial accumulator 0):
//   g = dw + weight_decay * w
//   s = s + g * g
//   w -= lr * g / (sqrt(s) + eps)
extern "C" __global__ void adagrad_f32(int n, float* __restrict__ w, const float* __restrict__ dw,
                                       float* __restrict__ s, float lr, float eps, float weight_decay) {
    GRID_STRIDE_LOOP(i, n) {
        float g = dw[i] + weight_decay * w[i];
        float si = s[i] + g * g;
        s[i] = si;
        w[i] -= lr * g / (sqrtf(si) + eps);
    }
}

// RMSProp, PyTorch's torch.optim.RMSprop:
//   g = dw + weight_decay * w
//   v = alpha * v + (1 - alpha) * g * g                  (one_minus_alpha rounded once on the host)
//   centered: a = alpha * a + (1 - alpha) * g;  d = sqrt(v - a * a) + eps;  else d = sqrt(v) + eps
//   use_momentum: b = momentum * b + g / d;  w -= lr * b;  else w -= lr * g / d
// b is read only with use_momentum and a only when centered (the caller may pass any address).
extern "C" __global__ void rmsprop_f32(int n, float* __restrict__ w, const float* __restrict__ dw,
                                       float* __restrict__ v, float* __restrict__ b, float* __restrict__ a,
                                       float lr, float alpha, float one_minus_alpha, float eps, float momentum,
                                       float weight_decay, int use_momentum, int centered) {
    GRID_STRIDE_LOOP(i, n) {
        float g = dw[i] + weight_decay * w[i];
        float vi = alpha * v[i] + one_minus_alpha * g * g;
        v[i] = vi;
        float var = vi;
        if (centered) {
            float ai = alpha * a[i] + one_minus_alpha * g;
            a[i] = ai;
            var = vi - ai * ai;
        }
        float d = sqrtf(var) + eps;
        if (use_momentum) {
            float bi = momentum * b[i] + g / d;
            b[i] = bi;
            w[i] -= lr * bi;
        } else {
            w[i] -= lr * g / d;
        }
    }
}
