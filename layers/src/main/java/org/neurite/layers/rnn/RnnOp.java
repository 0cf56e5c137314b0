package org.neurite.layers.rnn;

import org.neurite.runtime.Device;
import org.neurite.runtime.DeviceException;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;

/**
 * The recurrent op for every cell type, split the way the cuDNN v8 RNN API splits it
 * ({@code cudnnRNNForward}, {@code cudnnRNNBackwardData_v8}, {@code cudnnRNNBackwardWeights_v8}).
 * An op belongs to one module: like cuDNN's reserve space, it keeps what the forward computed for
 * the backward, so the calls must come in the order forward, backwardData, backwardWeights.
 *
 * <p>Shapes (time-major, cuDNN's {@code SEQ_MAJOR_UNPACKED}): x {@code [T, N, I]},
 * y {@code [T, N, D*H]}, hidden and cell states {@code [L*D, N, H]} indexed by pseudo-layer
 * {@code layer * D + dir}, weights one flat buffer laid out as {@link RnnLayout} says.
 * In y, direction 0 fills columns {@code [0, H)} and the reverse direction {@code [H, 2H)}.
 *
 * <p>Accumulation rule: forward and backwardData <em>write</em> their outputs; backwardWeights
 * <em>adds</em> into dw.
 */
public interface RnnOp {
    /**
     * Runs the whole sequence. hx and cx may be null (zero initial state); cx and cy are ignored
     * unless the cell is an LSTM. {@code training} applies dropout between layers and keeps what
     * the backward needs.
     */
    void forward(Tensor x, Tensor hx, Tensor cx, Tensor w, Tensor y, Tensor hy, Tensor cy, boolean training);

    /**
     * Back-propagation through time over the whole sequence of the last training forward. dhy and
     * dcy (gradients of the final states) may be null (zero). dx may be null when the input needs
     * no gradient; dhx and dcx receive the gradients of the initial states.
     */
    void backwardData(Tensor dy, Tensor dhy, Tensor dcy, Tensor w, Tensor dx, Tensor dhx, Tensor dcx);

    /** dw += the weight gradient of the last backwardData (x and hx are the forward's). */
    void backwardWeights(Tensor x, Tensor hx, Tensor dw);

    /**
     * A new op for {@code device}: the one place an RNN's engine is chosen. {@code rng} draws the
     * dropout masks between layers.
     */
    static RnnOp forDevice(Device device, RnnLayout layout, float dropout, Rng rng) {
        return switch (device.kind()) {
            case CPU -> new RnnCpu(layout, dropout, rng);
            case CUDA -> throw new DeviceException("Rnn: no CUDA engine yet for " + device.name()
                    + "; run on the CPU (--device cpu)");
        };
    }
}
