package org.neurite.layers.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurite.layers.rnn.CellType;
import org.neurite.layers.rnn.RnnCudnn;
import org.neurite.layers.rnn.RnnLayout;
import org.neurite.layers.rnn.RnnOp;
import org.neurite.runtime.Device;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.GpuTest;

/**
 * On a GPU: the cuDNN RNN engine against the CPU engine for every cell, stacked and
 * bidirectional, from given initial states and with gradients on the final states: y, hy, cy, dx,
 * dhx, dcx and dw (which starts non-zero: cuDNN's WGRAD_MODE_ADD must accumulate), with a relative
 * tolerance of 1e-4 scaled by the magnitude of the expected values. The flat weights are the same
 * on both devices: planning the cuDNN op has already checked cuDNN's layout against them.
 */
@GpuTest
class RnnParityGpuTest {
    private static CudaDevice cuda;

    @BeforeAll static void openDevice() {
        cuda = CudaDevice.shared(0);
    }

    private static Tensor random(Rng rng, Shape s, float bound) {
        Tensor t = Tensor.zeros(s);
        rng.uniform(t.data(), 0, t.size(), -bound, bound);
        return t;
    }

    static Stream<Arguments> cases() {
        List<Arguments> a = new ArrayList<>();
        for (CellType c : CellType.values()) {
            a.add(Arguments.of(c, 1, false, true));
            a.add(Arguments.of(c, 2, true, true));
            a.add(Arguments.of(c, 3, true, false));
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0}, {1} layers, bidirectional {2}, initial states {3}")
    @MethodSource("cases")
    void forwardFinalStatesAndEveryGradient(CellType cell, int layers, boolean bidirectional, boolean withStates) {
        int t = 6, n = 3, in = 5, h = 4;
        RnnLayout lay = new RnnLayout(cell, in, h, layers, bidirectional);
        int dh = lay.directions() * h;
        Shape xs = Shape.of(t, n, in), ys = Shape.of(t, n, dh), ss = Shape.of(layers * lay.directions(), n, h);
        boolean lstm = cell.hasCellState();
        Rng rng = new Rng(31 + cell.ordinal());
        Tensor w = random(rng, Shape.of(lay.size()), 0.5f), x = random(rng, xs, 1f), dy = random(rng, ys, 1f);
        Tensor hx = withStates ? random(rng, ss, 0.8f) : null, cx = withStates && lstm ? random(rng, ss, 0.8f) : null;
        Tensor dhy = random(rng, ss, 1f), dcy = lstm ? random(rng, ss, 1f) : null, dw0 = random(rng, Shape.of(lay.size()), 1f);

        RnnOp cpu = RnnOp.forDevice(Device.CPU, lay, 0f, new Rng(1));
        Tensor y = Tensor.zeros(ys), hy = Tensor.zeros(ss), cy = lstm ? Tensor.zeros(ss) : null;
        Tensor dx = Tensor.zeros(xs), dhx = Tensor.zeros(ss), dcx = lstm ? Tensor.zeros(ss) : null, dw = dw0.copy();
        cpu.forward(x, hx, cx, w, y, hy, cy, true);
        cpu.backwardData(dy, dhy, dcy, w, dx, dhx, dcx);
        cpu.backwardWeights(x, hx, dw);

        RnnCudnn op = new RnnCudnn(lay, 0f, new Rng(1), cuda);
        Tensor gw = w.toDevice(cuda), gx = x.toDevice(cuda), gdy = dy.toDevice(cuda);
        Tensor ghx = hx == null ? null : hx.toDevice(cuda), gcx = cx == null ? null : cx.toDevice(cuda);
        Tensor gdhy = dhy.toDevice(cuda), gdcy = dcy == null ? null : dcy.toDevice(cuda);
        Tensor gy = Tensor.zeros(ys, cuda), ghy = Tensor.zeros(ss, cuda), gcy = lstm ? Tensor.zeros(ss, cuda) : null;
        Tensor gdx = Tensor.zeros(xs, cuda), gdhx = Tensor.zeros(ss, cuda), gdcx = lstm ? Tensor.zeros(ss, cuda) : null, gdw = dw0.toDevice(cuda);
        op.forward(gx, ghx, gcx, gw, gy, ghy, gcy, true);
        op.backwardData(gdy, gdhy, gdcy, gw, gdx, gdhx, gdcx);
        op.backwardWeights(gx, ghx, gdw);

        String name = cell + " x" + layers + (bidirectional ? " bidirectional" : "");
        NormParityGpuTest.assertParity(name + " y", y, gy);
        NormParityGpuTest.assertParity(name + " hy", hy, ghy);
        if (lstm) NormParityGpuTest.assertParity(name + " cy", cy, gcy);
        NormParityGpuTest.assertParity(name + " dx", dx, gdx);
        NormParityGpuTest.assertParity(name + " dhx", dhx, gdhx);
        if (lstm) NormParityGpuTest.assertParity(name + " dcx", dcx, gdcx);
        NormParityGpuTest.assertParity(name + " dw (accumulated)", dw, gdw);
        assertTrue(op.spaces().reserveBytes() > 0, "a training forward keeps a reserve space");
    }

    @Test void inferenceForwardAndANewBatchShape() {
        RnnLayout lay = new RnnLayout(CellType.GRU, 3, 5, 2, true);
        Rng rng = new Rng(3);
        Tensor w = random(rng, Shape.of(lay.size()), 0.5f);
        RnnOp cpu = RnnOp.forDevice(Device.CPU, lay, 0f, new Rng(1));
        RnnCudnn op = new RnnCudnn(lay, 0f, new Rng(1), cuda);
        Tensor gw = w.toDevice(cuda);
        for (int[] tn : new int[][] {{4, 2}, {7, 5}, {4, 2}}) {
            Shape xs = Shape.of(tn[0], tn[1], 3), ys = Shape.of(tn[0], tn[1], 10), ss = Shape.of(4, tn[1], 5);
            Tensor x = random(rng, xs, 1f), y = Tensor.zeros(ys), hy = Tensor.zeros(ss);
            cpu.forward(x, null, null, w, y, hy, null, false);
            Tensor gy = Tensor.zeros(ys, cuda), ghy = Tensor.zeros(ss, cuda);
            op.forward(x.toDevice(cuda), null, null, gw, gy, ghy, null, false);
            NormParityGpuTest.assertParity("GRU inference y " + xs, y, gy);
            NormParityGpuTest.assertParity("GRU inference hy " + xs, hy, ghy);
        }
    }
}
