package org.neurite.layers.rnn;

import java.util.ArrayList;
import java.util.List;
import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.layers.Param;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * Test harness: an {@link Rnn} whose initial states are parameters and whose output is the
 * concatenation of y, hN (and cN), so that a gradient check covers the gradients with respect to
 * the initial states and the backward from gradients of the final states.
 */
final class WithStates extends Module {
    final Rnn rnn;
    final Param h0;
    final Param c0; // null unless LSTM
    private Tensor out;
    private Shape yShape;

    WithStates(Rnn rnn, int batch, org.neurite.runtime.Rng rng) {
        this.rnn = rnn;
        Rnn.Config c = rnn.config();
        Shape s = Shape.of(c.numLayers() * c.directions(), batch, c.hiddenSize());
        Tensor h = Tensor.zeros(s);
        rng.uniform(h.data(), 0, h.size(), -0.8f, 0.8f);
        this.h0 = Param.of("h0", h);
        if (c.cell().hasCellState()) {
            Tensor cc = Tensor.zeros(s);
            rng.uniform(cc.data(), 0, cc.size(), -0.8f, 0.8f);
            this.c0 = Param.of("c0", cc);
        } else {
            this.c0 = null;
        }
    }

    @Override public Shape outputShape(Shape inputShape) { throw new UnsupportedOperationException(); }

    @Override public Tensor forward(Tensor x, Mode mode) {
        Tensor y = rnn.forward(x, h0.value(), c0 == null ? null : c0.value(), mode);
        yShape = y.shape();
        int total = y.size() + rnn.finalHidden().size() + (c0 == null ? 0 : rnn.finalCell().size());
        if (out == null || out.size() != total) out = Tensor.zeros(total);
        System.arraycopy(y.data(), 0, out.data(), 0, y.size());
        System.arraycopy(rnn.finalHidden().data(), 0, out.data(), y.size(), rnn.finalHidden().size());
        if (c0 != null) System.arraycopy(rnn.finalCell().data(), 0, out.data(), y.size() + rnn.finalHidden().size(), rnn.finalCell().size());
        return out;
    }

    @Override public Tensor backward(Tensor g) {
        Tensor dy = Tensor.zeros(yShape);
        Tensor dhN = Tensor.zeros(rnn.finalHidden().shape());
        System.arraycopy(g.data(), 0, dy.data(), 0, dy.size());
        System.arraycopy(g.data(), dy.size(), dhN.data(), 0, dhN.size());
        Tensor dcN = null;
        if (c0 != null) {
            dcN = Tensor.zeros(dhN.shape());
            System.arraycopy(g.data(), dy.size() + dhN.size(), dcN.data(), 0, dcN.size());
        }
        Tensor dx = rnn.backward(dy, dhN, dcN);
        add(rnn.initialHiddenGrad(), h0.grad());
        if (c0 != null) add(rnn.initialCellGrad(), c0.grad());
        return dx;
    }

    private static void add(Tensor src, Tensor dst) {
        for (int i = 0; i < src.size(); i++) dst.data()[i] += src.data()[i];
    }

    @Override public List<Param> params() {
        List<Param> ps = new ArrayList<>(rnn.params());
        ps.add(h0);
        if (c0 != null) ps.add(c0);
        return ps;
    }

    @Override public void zeroGrad() {
        rnn.zeroGrad();
        h0.grad().fill(0f);
        if (c0 != null) c0.grad().fill(0f);
    }
}
