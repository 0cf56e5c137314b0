// Host emulation of the CUDA built-ins the kernels use: one block of one thread, so every
// grid-stride loop visits every index in order. Checks indexing, not GPU numerics.
#include <cmath>
#include <cstdio>
struct Dim { int x; };
static Dim blockIdx{0}, threadIdx{0}, blockDim{1}, gridDim{1};
#define __global__
#define __fadd_rn(a, b) ((float) ((a) + (b)))
#define __fsub_rn(a, b) ((float) ((a) - (b)))
#define __fmul_rn(a, b) ((float) ((a) * (b)))
#define __fdiv_rn(a, b) ((float) ((a) / (b)))
