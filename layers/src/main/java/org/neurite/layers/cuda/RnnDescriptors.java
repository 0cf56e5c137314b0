package org.neurite.layers.cuda;

import org.neurite.layers.rnn.CellType;
import org.neurite.layers.rnn.Rnn;
import org.neurite.layers.rnn.RnnLayout;

/**
 * The arguments of {@code cudnnSetRNNDescriptor_v8} for an RNN, derived by a pure function:
 * standard algorithm, the cell's {@code cudnnRNNMode_t}, two bias vectors per gate
 * ({@code CUDNN_RNN_DOUBLE_BIAS}: b_W and b_R, as PyTorch and the CPU engine), uni- or
 * bidirectional, a linear input projection, float data and math, FMA math unless TF32 is allowed
 * (DEFAULT_MATH would let Ampere use TF32 for float32, as PyTorch's {@code allow_tf32} knows), no
 * projection ({@code projSize = hiddenSize}), and padded I/O enabled, which the
 * {@code SEQ_MAJOR_UNPACKED} data layout (time-major {@code [T, N, C]}) requires.
 */
public record RnnDescriptors(int algo, int cellMode, int biasMode, int dirMode, int inputMode, int dataType, int mathPrec,
                             int mathType, int inputSize, int hiddenSize, int projSize, int numLayers, int auxFlags) {
    /** {@code CUDNN_RNN_ALGO_STANDARD}. */
    public static final int ALGO_STANDARD = 0;
    /** {@code cudnnRNNMode_t}: {@code CUDNN_RNN_RELU}, {@code CUDNN_RNN_TANH}, {@code CUDNN_LSTM}, {@code CUDNN_GRU}. */
    public static final int RNN_RELU = 0, RNN_TANH = 1, LSTM = 2, GRU = 3;
    /** {@code CUDNN_RNN_DOUBLE_BIAS}. */
    public static final int DOUBLE_BIAS = 2;
    /** {@code CUDNN_UNIDIRECTIONAL}, {@code CUDNN_BIDIRECTIONAL}. */
    public static final int UNIDIRECTIONAL = 0, BIDIRECTIONAL = 1;
    /** {@code CUDNN_LINEAR_INPUT}. */
    public static final int LINEAR_INPUT = 0;
    /** {@code CUDNN_DEFAULT_MATH}, {@code CUDNN_FMA_MATH}. */
    public static final int DEFAULT_MATH = 0, FMA_MATH = 3;
    /** {@code CUDNN_RNN_PADDED_IO_ENABLED}. */
    public static final int PADDED_IO_ENABLED = 1;
    /** {@code CUDNN_RNN_DATA_LAYOUT_SEQ_MAJOR_UNPACKED}: {@code [T, N, C]}, every sequence T long. */
    public static final int SEQ_MAJOR_UNPACKED = 0;
    /** {@code CUDNN_FWD_MODE_INFERENCE}, {@code CUDNN_FWD_MODE_TRAINING}. */
    public static final int FWD_INFERENCE = 0, FWD_TRAINING = 1;
    /** {@code CUDNN_WGRAD_MODE_ADD}: backward weights adds into dw (the module rule). */
    public static final int WGRAD_ADD = 0;

    /** The descriptor of {@code layout}; {@code allowTf32} picks DEFAULT_MATH over FMA_MATH. */
    public static RnnDescriptors of(RnnLayout layout, boolean allowTf32) {
        return new RnnDescriptors(ALGO_STANDARD, cellMode(layout.cell()), DOUBLE_BIAS,
                layout.directions() == 2 ? BIDIRECTIONAL : UNIDIRECTIONAL, LINEAR_INPUT, CudnnDescriptors.FLOAT, CudnnDescriptors.FLOAT,
                allowTf32 ? DEFAULT_MATH : FMA_MATH, layout.layerInputSize(0), layout.hiddenSize(), layout.hiddenSize(),
                layout.numLayers(), PADDED_IO_ENABLED);
    }

    /** The descriptor of a module's config. */
    public static RnnDescriptors of(Rnn.Config c, boolean allowTf32) {
        return of(new RnnLayout(c.cell(), c.inputSize(), c.hiddenSize(), c.numLayers(), c.bidirectional()), allowTf32);
    }

    /** cuDNN's {@code cudnnRNNMode_t} of a cell. */
    public static int cellMode(CellType cell) {
        return switch (cell) {
            case RNN_RELU -> RNN_RELU;
            case RNN_TANH -> RNN_TANH;
            case LSTM -> LSTM;
            case GRU -> GRU;
        };
    }

    /** Hidden and cell state tensors: {@code [L*D, N, H]}. */
    public static int[] stateDims(RnnLayout layout, int batch) {
        return new int[] {layout.numLayers() * layout.directions(), batch, layout.hiddenSize()};
    }

    /** Every sequence of the batch is {@code steps} long (no padding inside a batch). */
    public static int[] seqLengths(int steps, int batch) {
        int[] s = new int[batch];
        java.util.Arrays.fill(s, steps);
        return s;
    }
}
