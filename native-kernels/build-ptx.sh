#!/usr/bin/env bash
# Builds src/main/cuda/*.cu into the PTX the runtime loads (src/main/resources/org/neurite/kernels),
# and checks the committed PTX is what the sources produce. Maven runs it in generate-resources.
#
# Without nvcc (users, most machines): the committed PTX is used as it is.
# With nvcc: each .cu is compiled with `nvcc -ptx -arch=compute_75`, its `.version` line is set to
# 8.5 so CUDA 12.x drivers load it (nvcc 13 writes 9.0; see shared/CUDA-NOTES.md), and ptxas
# checks it for sm_75, sm_80 and sm_90. Then, per kernel file:
#   - same bytes as committed: fine;
#   - committed PTX built from the same sources by another nvcc release: fine, kept as committed;
#   - otherwise: the new PTX is written over the committed one and the build fails, asking the
#     developer to commit it.
# NVCC=/path/to/nvcc picks the compiler; -Dneurite.ptx.skip=true in Maven skips this script.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$here/src/main/cuda
out=$here/src/main/resources/org/neurite/kernels
work=$here/target/ptx
flags=(-ptx -arch=compute_75 -O3)
archs=(sm_75 sm_80 sm_90)

find_nvcc() {
    if [[ -n "${NVCC:-}" ]]; then echo "$NVCC"; return; fi
    command -v nvcc 2>/dev/null && return
    for c in /usr/local/bin/nvcc /usr/local/cuda/bin/nvcc; do
        if [[ -x $c ]]; then echo "$c"; return; fi
    done
}

shopt -s nullglob
sources=("$src"/*.cu)
nvcc=$(find_nvcc || true)

if [[ -z "$nvcc" ]]; then
    for cu in "${sources[@]}"; do
        name=$(basename "$cu" .cu)
        [[ -f $out/$name.ptx ]] || { echo "native-kernels: ERROR: no nvcc and no committed $out/$name.ptx" >&2; exit 1; }
    done
    echo "native-kernels: nvcc not found; using the committed PTX"
    exit 0
fi

ptxas=$(dirname "$nvcc")/ptxas
[[ -x $ptxas ]] || ptxas=$(command -v ptxas || true)
[[ -n "$ptxas" ]] || { echo "native-kernels: ERROR: found $nvcc but no ptxas beside it or on PATH" >&2; exit 1; }

mkdir -p "$work" "$out"
headers=$(cat "$src"/*.cuh 2>/dev/null || true)
release=$("$nvcc" --version | grep -o 'release [0-9.]*, V[0-9.]*' || true)
# nvcc spends most of its time starting up: compile all files at once.
pids=()
for cu in "${sources[@]}"; do
    "$nvcc" "${flags[@]}" -o "$work/$(basename "$cu" .cu).nvcc.ptx" "$cu" & pids+=($!)
done
for pid in "${pids[@]}"; do
    wait "$pid" || { echo "native-kernels: ERROR: nvcc failed (see above)" >&2; exit 1; }
done

stale=()
for cu in "${sources[@]}"; do
    name=$(basename "$cu" .cu)
    hash=$( { echo "${flags[*]}"; echo "$headers"; cat "$cu"; } | sha256sum | cut -d' ' -f1)
    {
        echo "// neurite: built from src/main/cuda/$name.cu (sha256 of flags, headers, source: $hash)"
        echo "// neurite: nvcc ${flags[*]}; .version set to 8.5 so CUDA 12.x drivers load it"
        sed 's/^\.version [0-9.]*$/.version 8.5/' "$work/$name.nvcc.ptx"
    } > "$work/$name.ptx"
    for arch in "${archs[@]}"; do
        if ! "$ptxas" -arch="$arch" -o "$work/$name.$arch.cubin" "$work/$name.ptx"; then
            echo "native-kernels: ERROR: ptxas -arch=$arch rejected $name.ptx (from $cu)" >&2
            exit 1
        fi
    done
    committed=$out/$name.ptx
    if [[ -f $committed ]] && cmp -s "$work/$name.ptx" "$committed"; then
        continue
    fi
    if [[ -f $committed ]] && grep -q "sha256 of flags, headers, source: $hash" "$committed" \
            && ! grep -q "$release" "$committed"; then
        for arch in "${archs[@]}"; do
            "$ptxas" -arch="$arch" -o "$work/$name.committed.$arch.cubin" "$committed" \
                || { echo "native-kernels: ERROR: ptxas -arch=$arch rejected the committed $committed" >&2; exit 1; }
        done
        echo "native-kernels: $name.ptx: committed PTX comes from the same sources and another nvcc release; kept"
        continue
    fi
    cp "$work/$name.ptx" "$committed"
    stale+=("$name.ptx")
done

for ptx in "$out"/*.ptx; do
    name=$(basename "$ptx" .ptx)
    if [[ ! -f $src/$name.cu ]]; then
        echo "native-kernels: ERROR: $ptx has no source $src/$name.cu; delete it" >&2
        exit 1
    fi
done

if (( ${#stale[@]} > 0 )); then
    echo "native-kernels: ERROR: the committed PTX did not match the CUDA sources; regenerated: ${stale[*]}" >&2
    echo "native-kernels: review and commit native-kernels/src/main/resources/org/neurite/kernels/*.ptx, then build again" >&2
    exit 1
fi
echo "native-kernels: ${#sources[@]} PTX files match their sources ($release; ptxas ${archs[*]} ok)"
