package org.neurite.layers.rnn;

import static org.neurite.runtime.TensorAsserts.assertClose;

import org.junit.jupiter.api.Test;
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
}
