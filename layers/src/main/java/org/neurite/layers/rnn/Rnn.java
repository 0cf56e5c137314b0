package org.neurite.layers.rnn;

import java.util.List;
import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.layers.Param;
import org.neurite.runtime.Device;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * A stacked, optionally bidirectional recurrent network of simple RNN, LSTM or GRU cells, as
 * PyTorch's {@code nn.RNN}/{@code nn.LSTM}/{@code nn.GRU} with {@code batch_first=False}.
 *
 * <p>Input x {@code [T, N, inputSize]} (time-major); output {@code [T, N, D*H]} (D = 2 when
 * bidirectional, the reverse direction in columns {@code [H, 2H)}); initial and final states
 * {@code [L*D, N, H]}, indexed by {@code layer * D + direction}. The cells:
 * <pre>
 *   RNN:  h' = tanh or relu(W x + b_W + R h + b_R)
 *   LSTM: i, f, o = sigmoid(W_* x + b_W* + R_* h + b_R*), g = tanh(W_g x + b_Wg + R_g h + b_Rg)
 *         c' = f c + i g,  h' = o tanh(c')
 *   GRU:  r, z = sigmoid(W_* x + b_W* + R_* h + b_R*)
 *         n = tanh(W_n x + b_Wn + r * (R_n h + b_Rn)),  h' = (1 - z) n + z h
 * </pre>
 * The GRU is cuDNN's (and PyTorch's): the reset gate multiplies the recurrent product. The textbook
 * form n = tanh(W_n x + R_n (r * h)) is a different function.
 *
 * <p>All weights live in one flat parameter, {@code weights}, in cuDNN's order ({@link RnnLayout});
 * they start as PyTorch's: U(-1/sqrt(H), 1/sqrt(H)) for every weight and bias.
 *
 * <p>Truncated back-propagation through time: with {@link #setCarryState(boolean) carry state} on,
 * each forward starts from the previous forward's final state, detached (no gradient crosses the
 * batch boundary); {@link #resetState()} starts the next forward from zero again.
 * <pre>{@code
 * Rnn lstm = new Rnn(Rnn.Config.of(CellType.LSTM, 97, 256), rng);
 * Tensor y = lstm.forward(x, Mode.TRAIN);              // x [T, N, 97] -> y [T, N, 256]
 * Tensor dx = lstm.backward(dy);
 * Tensor y2 = lstm.forward(x, h0, c0, Mode.TRAIN);      // given initial states [1, N, 256]
 * lstm.backward(dy, dhN, null);                         // with a gradient on the final hidden state
 * Tensor dh0 = lstm.initialHiddenGrad();
 * }</pre>
 */
public final class Rnn extends Module {
    /** Configuration, PyTorch's names; {@link #of} gives one unidirectional layer without dropout. */
    public record Config(CellType cell, int inputSize, int hiddenSize, int numLayers, boolean bidirectional,
                         float dropout, boolean batchFirst) {
        public Config {
            if (cell == null) throw new IllegalArgumentException("Rnn: cell type is null");
            if (inputSize < 1 || hiddenSize < 1 || numLayers < 1) {
                throw new IllegalArgumentException("Rnn sizes must be >= 1, got input " + inputSize + ", hidden " + hiddenSize + ", layers " + numLayers);
            }
            if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("Rnn: dropout must be in [0, 1), got " + dropout);
            if (batchFirst) throw new IllegalArgumentException("Rnn: batchFirst is not supported; sequences are time-major [T, N, C]");
        }

        public static Config of(CellType cell, int inputSize, int hiddenSize) {
            return new Config(cell, inputSize, hiddenSize, 1, false, 0f, false);
        }

        public Config withLayers(int n) { return new Config(cell, inputSize, hiddenSize, n, bidirectional, dropout, batchFirst); }

        public Config withBidirectional(boolean on) { return new Config(cell, inputSize, hiddenSize, numLayers, on, dropout, batchFirst); }

        /** Dropout on the outputs of every layer but the last (training only), as PyTorch's. */
        public Config withDropout(float p) { return new Config(cell, inputSize, hiddenSize, numLayers, bidirectional, p, batchFirst); }

        public int directions() { return bidirectional ? 2 : 1; }
    }

    private final Config config;
    private final RnnLayout layout;
    private final Param weights;
    private final Rng dropoutRng;
    private RnnOp op;
    private Device opDevice;

    private Tensor input;       // [T, N, I], the last forward's input (not copied)
    private Tensor h0;          // [L*D, N, H] the last forward's initial states, or null (zero)
    private Tensor c0;
    private Tensor output;      // [T, N, D*H]
    private Tensor hN;          // [L*D, N, H]
    private Tensor cN;
    private Tensor gradInput;
    private Tensor dh0;
    private Tensor dc0;
    private boolean carry;
    private Tensor carriedH;    // detached copies of the last final states (carry mode)
    private Tensor carriedC;
    private boolean carryValid;

    public Rnn(Config config, Rng rng) {
        this.config = config;
        this.layout = new RnnLayout(config.cell(), config.inputSize(), config.hiddenSize(), config.numLayers(), config.bidirectional());
        Tensor w = Tensor.zeros(layout.size());
        float bound = (float) (1.0 / Math.sqrt(config.hiddenSize()));
        rng.uniform(w.data(), 0, w.size(), -bound, bound);
        this.weights = Param.of("weights", w);
        this.dropoutRng = rng.split();
    }

    public Config config() { return config; }

    /** Where each matrix and bias sits in {@link #weights()}. */
    public RnnLayout layout() { return layout; }

    /** The one flat weight parameter. */
    public Param weights() { return weights; }

    /**
     * With {@code on}, every forward starts from the previous forward's final states (detached);
     * a change of batch size, or {@link #resetState()}, starts from zero.
     */
    public void setCarryState(boolean on) {
        this.carry = on;
        this.carryValid = false;
    }

    /** The next forward starts from zero states (carry mode). */
    public void resetState() { carryValid = false; }

    @Override public Shape outputShape(Shape s) {
        checkInput(s);
        return Shape.of(s.dim(0), s.dim(1), config.directions() * config.hiddenSize());
    }

    /** Forward from zero initial states, or from the carried ones in carry mode. */
    @Override public Tensor forward(Tensor x, Mode mode) {
        boolean useCarry = carry && carryValid && carriedH.shape().dim(1) == x.shape().dim(1);
        return forward(x, useCarry ? carriedH : null, useCarry ? carriedC : null, mode);
    }

    /** Forward from initial states h0 (and c0 for an LSTM) {@code [L*D, N, H]}; null means zero. */
    public Tensor forward(Tensor x, Tensor h0, Tensor c0, Mode mode) {
        checkInput(x.shape());
        int t = x.shape().dim(0);
        int n = x.shape().dim(1);
        Shape stateShape = Shape.of(config.numLayers() * config.directions(), n, config.hiddenSize());
        checkState("h0", h0, stateShape);
        checkState("c0", c0, stateShape);
        Shape outShape = Shape.of(t, n, config.directions() * config.hiddenSize());
        Device device = x.device();
        if (!Tensor.fits(output, outShape, device)) output = Tensor.zeros(outShape, device);
        if (!Tensor.fits(hN, stateShape, device)) {
            hN = Tensor.zeros(stateShape, device);
            cN = config.cell().hasCellState() ? Tensor.zeros(stateShape, device) : null;
        }
        if (op == null || opDevice != x.device()) {
            op = RnnOp.forDevice(x.device(), layout, config.dropout(), dropoutRng);
            opDevice = x.device();
        }
        this.input = x;
        this.h0 = h0;
        this.c0 = c0;
        op.forward(x, h0, c0, weights.value(), output, hN, cN, mode == Mode.TRAIN);
        if (carry) {
            if (!Tensor.fits(carriedH, stateShape, device)) {
                carriedH = Tensor.zeros(stateShape, device);
                carriedC = cN == null ? null : Tensor.zeros(stateShape, device);
            }
            carriedH.copyFrom(hN);
            if (cN != null) carriedC.copyFrom(cN);
            carryValid = true;
        }
        return output;
    }

    @Override public Tensor backward(Tensor dY) {
        return backward(dY, null, null);
    }

    /**
     * Back-propagation through the whole sequence of the last forward, with gradients of the final
     * states (null: zero) besides that of the output. Returns the input's gradient (null when not
     * needed); the initial states' gradients are then in {@link #initialHiddenGrad()} and
     * {@link #initialCellGrad()}.
     */
    public Tensor backward(Tensor dY, Tensor dhN, Tensor dcN) {
        if (input == null) throw new IllegalStateException(describe() + ": backward before forward");
        if (!dY.shape().equals(output.shape())) {
            throw new IllegalArgumentException(describe() + ": gradient " + dY.shape() + " does not match output " + output.shape());
        }
        checkState("dhN", dhN, hN.shape());
        checkState("dcN", dcN, hN.shape());
        if (!Tensor.fits(dh0, hN.shape(), hN.device())) {
            dh0 = Tensor.zeros(hN.shape(), hN.device());
            dc0 = cN == null ? null : Tensor.zeros(hN.shape(), hN.device());
        }
        Tensor dx = null;
        if (needsInputGrad) {
            if (!Tensor.fits(gradInput, input.shape(), input.device())) gradInput = Tensor.zeros(input.shape(), input.device());
            dx = gradInput;
        }
        op.backwardData(dY, dhN, dcN, weights.value(), dx, dh0, dc0);
        op.backwardWeights(input, h0, weights.grad());
        return dx;
    }

    /** Final hidden states {@code [L*D, N, H]} of the last forward (owned by the module, overwritten). */
    public Tensor finalHidden() { return hN; }

    /** Final cell states of the last forward (LSTM), else null. */
    public Tensor finalCell() { return cN; }

    /** Gradient of the last forward's initial hidden states, after backward. */
    public Tensor initialHiddenGrad() { return dh0; }

    /** Gradient of the initial cell states (LSTM), after backward. */
    public Tensor initialCellGrad() { return dc0; }

    @Override public List<Param> params() { return List.of(weights); }

    @Override public String typeName() { return config.cell() == CellType.LSTM ? "LSTM" : config.cell() == CellType.GRU ? "GRU" : "RNN"; }

    @Override public String describe() {
        StringBuilder sb = new StringBuilder(typeName()).append('(').append(config.inputSize()).append(" -> ").append(config.hiddenSize());
        if (config.cell() == CellType.RNN_RELU) sb.append(", relu");
        if (config.numLayers() > 1) sb.append(", layers ").append(config.numLayers());
        if (config.bidirectional()) sb.append(", bidirectional");
        if (config.dropout() > 0) sb.append(", dropout ").append(config.dropout());
        return sb.append(')').toString();
    }

    private void checkInput(Shape s) {
        if (s.rank() != 3 || s.dim(2) != config.inputSize() || s.dim(0) < 1 || s.dim(1) < 1) {
            throw new IllegalArgumentException(describe() + " expects input [T, N, " + config.inputSize() + "] (time-major), got " + s);
        }
    }

    private void checkState(String what, Tensor t, Shape expected) {
        if (t != null && !t.shape().equals(expected)) {
            throw new IllegalArgumentException(describe() + ": " + what + " must be " + expected + ", got " + t.shape());
        }
    }
}
