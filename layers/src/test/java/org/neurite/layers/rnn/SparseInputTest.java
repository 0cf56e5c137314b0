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
     * their columns over two threads: the whole gradient must match one thread's and the dense
     * path's to rounding. (Not to the bit: the cells' Vector API exp and tanh may round the last
     * bit differently before and after C2 compiles them; the split itself is checked bit for bit
     * below.)
     */
    @Test void weightGradientMatchesOneThreadAndTheDensePath() {
        RnnLayout lay = new RnnLayout(CellType.LSTM, 30, 64, 1, false);
        Rng rng = new Rng(5);
        Tensor w = Tensor.zeros(lay.size());
        rng.uniform(w.data(), 0, w.size(), -0.3f, 0.3f);
        int t = 6, n = 4;
        Tensor x = Tensor.zeros(t, n, 30);
        for (int r = 0; r < t * n; r++) x.set(r * 30 + rng.nextInt(30), 1f);
        Tensor dy = Tensor.zeros(t, n, 64);
        rng.uniform(dy.data(), 0, dy.size(), -1f, 1f);
        float[][] grads = new float[3][];
        int saved = Parallel.threads();
        try {
            for (int k = 0; k < 3; k++) {       // sparse on 1 and 2 threads, dense on 2
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
        assertClose("1 vs 2 threads", grads[0], grads[1], 1e-5, 1e-6);
        assertClose("sparse vs dense weight gradient", grads[2], grads[1], 1e-4, 1e-5);
    }

    /**
     * The one-hot projection and weight gradient alone, on fixed inputs: the same bits on one and
     * two threads (each column is summed over the rows in order by one thread), and a double
     * reference: a = bias + X W^T, dW = dA^T X.
     */
    @Test void sparseProjectionAndGradientSplitByColumnsGiveTheSameBits() {
        int rows = 24, cols = 30, width = 256;
        Rng rng = new Rng(9);
        float[] x = new float[rows * cols];
        for (int r = 0; r < rows; r++) x[r * cols + rng.nextInt(cols)] = r % 3 == 0 ? 2f : 1f;
        float[] w = new float[width * cols], bias = new float[width], dA = new float[rows * width];
        rng.uniform(w, 0, w.length, -1f, 1f);
        rng.uniform(bias, 0, width, -1f, 1f);
        rng.uniform(dA, 0, dA.length, -1f, 1f);
        float[][] a = new float[2][], dw = new float[2][];
        int saved = Parallel.threads();
        try {
            for (int k = 0; k < 2; k++) {
                Parallel.setThreads(k + 1);
                SparseRows sparse = new SparseRows();
                sparse.plan(rows, cols, width);
                org.junit.jupiter.api.Assertions.assertTrue(sparse.read(x), "one nonzero in 30 is sparse");
                a[k] = new float[rows * width];
                sparse.project(w, 0, bias, a[k]);
                dw[k] = new float[width * cols];
                sparse.accumulateWeightGradient(dA, dw[k], 0);
            }
        } finally {
            Parallel.setThreads(saved);
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(a[0], a[1], "projection, 1 vs 2 threads");
        org.junit.jupiter.api.Assertions.assertArrayEquals(dw[0], dw[1], "weight gradient, 1 vs 2 threads");
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < width; j++) {
                double ref = bias[j];
                for (int c = 0; c < cols; c++) ref += (double) x[r * cols + c] * w[j * cols + c];
                org.junit.jupiter.api.Assertions.assertEquals(ref, a[1][r * width + j], 1e-5, "a[" + r + ", " + j + "]");
            }
        }
        for (int j = 0; j < width; j++) {
            for (int c = 0; c < cols; c++) {
                double ref = 0;
                for (int r = 0; r < rows; r++) ref += (double) dA[r * width + j] * x[r * cols + c];
                org.junit.jupiter.api.Assertions.assertEquals(ref, dw[1][j * cols + c], 1e-5, "dW[" + j + ", " + c + "]");
            }
        }
    }
}
