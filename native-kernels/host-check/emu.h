// A tiny host emulator of the CUDA execution model, enough for Neurite's kernels: blocks run one
// after another, the threads of a block run as real threads with __syncthreads and warp shuffles
// as barriers. Checks indexing and reduction logic, not GPU rounding.
#pragma once
#include <barrier>
#include <cstring>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>
#include <math.h>
#include <limits.h>
#include <stddef.h>

struct Dim { unsigned x = 0, y = 0, z = 0; };
inline thread_local Dim threadIdx, blockIdx;
inline Dim blockDim, gridDim;
inline std::barrier<>* g_block_bar;
inline std::vector<std::barrier<>*> g_warp_bar;
inline uint64_t g_slots[32][32];

#define __global__
#define __device__
#define __forceinline__ inline
#define __restrict__
#define __shared__ static
inline void __syncthreads() { g_block_bar->arrive_and_wait(); }
inline int min(int a, int b) { return a < b ? a : b; }
inline float __int_as_float(int i) { float f; std::memcpy(&f, &i, 4); return f; }
// Correctly rounded float operations: what a host float operation already is (compiled with
// -ffp-contract=off, so no fused multiply-adds either).
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fdiv_rn(float a, float b) { return a / b; }

template <typename T> T __shfl_xor_sync(unsigned, T v, int offset) {
    int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
    std::memcpy(&g_slots[warp][lane], &v, sizeof(T));
    g_warp_bar[warp]->arrive_and_wait();
    T r;
    std::memcpy(&r, &g_slots[warp][lane ^ offset], sizeof(T));
    g_warp_bar[warp]->arrive_and_wait();
    return r;
}

// Runs kernel(args...) over grid x block threads.
template <typename F> void launch(int grid, int block, F kernel) {
    blockDim = {(unsigned) block, 1, 1};
    gridDim = {(unsigned) grid, 1, 1};
    for (int b = 0; b < grid; b++) {
        std::barrier<> bar(block);
        g_block_bar = &bar;
        std::vector<std::barrier<>*> warps;
        for (int w = 0; w < (block + 31) / 32; w++) warps.push_back(new std::barrier<>(std::min(32, block - 32 * w)));
        g_warp_bar = warps;
        std::vector<std::thread> threads;
        for (int t = 0; t < block; t++) {
            threads.emplace_back([=] {
                threadIdx = {(unsigned) t, 0, 0};
                blockIdx = {(unsigned) b, 0, 0};
                kernel();
            });
        }
        for (auto& th : threads) th.join();
        for (auto* w : warps) delete w;
    }
}
