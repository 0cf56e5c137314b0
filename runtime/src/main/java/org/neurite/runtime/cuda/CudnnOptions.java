package org.neurite.runtime.cuda;

/**
 * How cuDNN ops on a device choose their algorithms (PyTorch's {@code torch.backends.cudnn} flags).
 *
 * @param deterministic  only algorithms cuDNN reports as {@code CUDNN_DETERMINISTIC}
 *                       ({@code --deterministic}); max pooling uses {@code CUDNN_POOLING_MAX_DETERMINISTIC}
 * @param benchmark      time the candidates once per shape ({@code cudnnFind*AlgorithmEx}) instead of
 *                       taking cuDNN's heuristic ranking ({@code cudnnGet*Algorithm_v7})
 * @param workspaceLimit the most workspace bytes one algorithm may need
 * @param allowTf32      let convolutions use TF32 tensor cores (faster on Ampere and newer, about
 *                       3 decimal digits); off by default so CUDA results match the CPU in float32
 */
public record CudnnOptions(boolean deterministic, boolean benchmark, long workspaceLimit, boolean allowTf32) {
    /** Heuristic choice, non-deterministic algorithms allowed, 1 GiB workspace, no TF32. */
    public static final CudnnOptions DEFAULT = new CudnnOptions(false, false, 1L << 30, false);

    public CudnnOptions {
        if (workspaceLimit < 0) throw new IllegalArgumentException("workspace limit must be >= 0, got " + workspaceLimit);
    }

    public CudnnOptions withDeterministic(boolean on) { return new CudnnOptions(on, benchmark, workspaceLimit, allowTf32); }

    public CudnnOptions withBenchmark(boolean on) { return new CudnnOptions(deterministic, on, workspaceLimit, allowTf32); }

    public CudnnOptions withWorkspaceLimit(long bytes) { return new CudnnOptions(deterministic, benchmark, bytes, allowTf32); }

    public CudnnOptions withAllowTf32(boolean on) { return new CudnnOptions(deterministic, benchmark, workspaceLimit, on); }
}
