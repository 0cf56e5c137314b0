#!/usr/bin/env bash
# Builds and runs the host checks of Neurite's CUDA kernels, for machines without a GPU (needs g++ 11
# or newer, C++20 <barrier>). emu.h is a small emulator of blocks, threads, __syncthreads and warp
# shuffles. check_kernels.cpp runs the loss, clipping, optimizer, check and cross-entropy kernels with
# the launch geometry the Java code uses; check_layer_kernels.cpp runs the channel, embedding,
# sequence and LeNet-1998 kernels. Both compare with the CPU engines' arithmetic.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
for check in check_kernels check_layer_kernels; do
    (cd "$here" && g++ -std=c++20 -O1 -ffp-contract=off -pthread -w -o "$bin/$check" "$check.cpp")
    "$bin/$check"
done
