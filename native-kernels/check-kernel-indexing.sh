#!/usr/bin/env bash
# Compiles the host emulation of the layer kernels (src/test/cpp) with g++ and runs it: checks the
# index arithmetic of channels.cu, embedding.cu, sequence.cu and lenet1998.cu without a GPU.
# Not part of the Maven build (it needs a C++ compiler); run it after changing those kernels.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/target"
g++ -O0 -std=c++17 -x c++ -I"$here/src/main/cuda" -I"$here/src/test/cpp" "$here/src/test/cpp/kernel_index_check.cpp" -o "$here/target/kernel_index_check"
"$here/target/kernel_index_check"
