package org.neurite.layers.cuda;

/**
 * One entry of cuDNN's {@code cudnnConvolution*AlgoPerf_t}, in the order cuDNN ranked it (fastest
 * measured first for {@code cudnnFind*}, most promising first for {@code cudnnGet*_v7}).
 *
 * @param algo        the pass's algorithm number
 * @param status      0 when the algorithm can run this convolution
 * @param timeMs      measured time (benchmark mode) or -1
 * @param memory      workspace bytes it needs
 * @param determinism {@code CUDNN_DETERMINISTIC} (1) or {@code CUDNN_NON_DETERMINISTIC} (0)
 * @param mathType    {@code cudnnMathType_t}: 0 default, 1 tensor-op, 2 tensor-op allowing conversion, 3 FMA
 */
public record AlgoPerf(int algo, int status, float timeMs, long memory, int determinism, int mathType) {
    /** {@code CUDNN_DETERMINISTIC}. */
    public static final int DETERMINISTIC = 1;
    /** {@code CUDNN_TENSOR_OP_MATH}. */
    public static final int TENSOR_OP_MATH = 1;
    /** {@code CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION}. */
    public static final int TENSOR_OP_MATH_ALLOW_CONVERSION = 2;
    /** {@code CUDNN_FMA_MATH}: plain float32 arithmetic, no tensor cores. */
    public static final int FMA_MATH = 3;

    /** True when the algorithm may use tensor cores (TF32 for float32 data). */
    public boolean usesTensorCores() {
        return mathType == TENSOR_OP_MATH || mathType == TENSOR_OP_MATH_ALLOW_CONVERSION;
    }
}
