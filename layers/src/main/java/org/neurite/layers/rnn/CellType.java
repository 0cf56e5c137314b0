package org.neurite.layers.rnn;

/**
 * The recurrent cell, as cuDNN's {@code cudnnRNNMode_t} names it ({@code CUDNN_RNN_TANH},
 * {@code CUDNN_RNN_RELU}, {@code CUDNN_LSTM}, {@code CUDNN_GRU}). {@link #gates()} is the number of
 * weight matrices per input (cuDNN's "pseudo-layer" holds {@code 2 * gates()} matrices).
 */
public enum CellType {
    /** h' = tanh(W x + b_W + R h + b_R). */
    RNN_TANH(1),
    /** h' = max(0, W x + b_W + R h + b_R). */
    RNN_RELU(1),
    /** Gates in order input i, forget f, cell candidate g, output o. */
    LSTM(4),
    /** Gates in order reset r, update z, new n; the reset gate applies after the recurrent product (cuDNN, PyTorch). */
    GRU(3);

    private final int gates;

    CellType(int gates) { this.gates = gates; }

    /** Weight matrices per input (and per recurrent input): 1, 4 or 3. */
    public int gates() { return gates; }

    /** True for LSTM, the only cell with a cell state c besides h. */
    public boolean hasCellState() { return this == LSTM; }
}
