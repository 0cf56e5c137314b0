package org.neurite.layers.rnn;

import static org.neurite.runtime.TensorAsserts.assertClose;

import org.junit.jupiter.api.Test;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;

/** One-hot inputs take the sparse projection; it must give what the dense GEMMs give. */
class SparseInputTest {
    @Test void sparseAndDensePathsAgree() {
        for (CellType cell : new CellType[] {CellType.LSTM, CellType.GRU}) {
            RnnLayout lay = new RnnLayout(cell, 20, 17, 2, true);
            Rng rng = new Rng(3);
            Tensor w = Tensor.zeros(lay.size());
            rng.uniform(w.data(), 0, w.size(), -0.3f, 0.3f);
            int t = 5, n = 3;
            Tensor x = Tensor.zeros(t, n, 20);
            for (int r = 0; r < t * n; r++) x.set(r * 20 + rng.nextInt(20), r % 4 == 0 ? 2.5f : 1f);
            Tensor dy = Tensor.zeros(t, n, 34);
            rng.uniform(dy.data(), 0, dy.size(), -1f, 1f);
            float[][] results = new float[2][];
            float[][] grads = new float[2][];
            float[][] dxs = new float[2][];
            for (int k = 0; k < 2; k++) {
                RnnCpu op = new RnnCpu(lay, 0f, new Rng(1), k == 0);
                Tensor y = Tensor.zeros(t, n, 34), hy = Tensor.zeros(4, n, 17), cy = Tensor.zeros(4, n, 17);
                op.forward(x, null, null, w, y, hy, cy, true);
                Tensor dx = Tensor.zeros(x.shape()), dhx = Tensor.zeros(hy.shape()), dcx = Tensor.zeros(hy.shape());
                op.backwardData(dy, null, null, w, dx, dhx, dcx);
                Tensor dw = Tensor.zeros(lay.size());
                op.backwardWeights(x, null, dw);
                results[k] = y.data();
                grads[k] = dw.data();
                dxs[k] = dx.data();
            }
            assertClose(cell + " output", results[1], results[0], 1e-5, 1e-6);
            assertClose(cell + " weight gradient", grads[1], grads[0], 1e-4, 1e-5);
            assertClose(cell + " input gradient", dxs[1], dxs[0], 1e-5, 1e-6);
        }
    }

    /**
     * With 64 hidden units (256 gate columns) the bias sums and the sparse weight gradient split
     * their columns over two threads: the gradient must match one thread's (to rounding: the
     * recurrent GEMMs may round differently per thread count) and be the same bits on every run.
     */
    @Test void weightGradientIsTheSameOnOneAndTwoThreads() {
        RnnLayout lay = new RnnLayout(CellType.LSTM, 30, 64, 1, false);
        Rng rng = new Rng(5);
        Tensor w = Tensor.zeros(lay.size());
        rng.uniform(w.data(), 0, w.size(), -0.3f, 0.3f);
        int t = 6, n = 4;
        Tensor x = Tensor.zeros(t, n, 30);
        for (int r = 0; r < t * n; r++) x.set(r * 30 + rng.nextInt(30), 1f);
        Tensor dy = Tensor.zeros(t, n, 64);
        rng.uniform(dy.data(), 0, dy.size(), -1f, 1f);
        float[][] grads = new float[4][];
        int saved = Parallel.threads();
        try {
            for (int k = 0; k < 4; k++) {       // sparse on 1 and 2 threads, dense on 2, sparse on 2 again
                Parallel.setThreads(k == 0 ? 1 : 2);
                RnnCpu op = new RnnCpu(lay, 0f, new Rng(1), k != 2);
                Tensor y = Tensor.zeros(t, n, 64), hy = Tensor.zeros(1, n, 64), cy = Tensor.zeros(1, n, 64);
                op.forward(x, null, null, w, y, hy, cy, true);
                op.backwardData(dy, null, null, w, Tensor.zeros(x.shape()), Tensor.zeros(hy.shape()), Tensor.zeros(hy.shape()));
                Tensor dw = Tensor.zeros(lay.size());
                op.backwardWeights(x, null, dw);
                grads[k] = dw.data();
            }
        } finally {
            Parallel.setThreads(saved);
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(grads[1], grads[3], "2 threads, twice");
        assertClose("1 vs 2 threads", grads[0], grads[1], 1e-5, 1e-6);
        assertClose("sparse vs dense weight gradient", grads[2], grads[1], 1e-4, 1e-5);
    }
}
