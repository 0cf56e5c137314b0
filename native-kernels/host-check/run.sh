#!/usr/bin/env bash
# Builds and runs check_kernels.cpp: Neurite's CUDA kernels executed on the host by a small
# emulator of blocks, threads, __syncthreads and warp shuffles (emu.h), compared with the CPU
# engines' arithmetic. For machines without a GPU; needs g++ 11 or newer (C++20 <barrier>).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(mktemp -d)/check_kernels
trap 'rm -rf "$(dirname "$bin")"' EXIT
(cd "$here" && g++ -std=c++20 -O1 -pthread -w -o "$bin" check_kernels.cpp)
"$bin"
