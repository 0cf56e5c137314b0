package org.neurite.layers.lenet1998;

import java.util.List;
import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.layers.Param;
import org.neurite.layers.conv.Conv2d;
import org.neurite.layers.conv.ConvGeometry;
import org.neurite.layers.conv.ConvOp;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * A valid, stride-1 convolution in which each output map sees only the input maps its connection
 * table names (LeNet-5's C3, Table I of LeCun et al. 1998). Only the connected filters are
 * parameters: {@code weight [connections, R, S]} (ordered by output map, then input map) and
 * {@code bias [K]}. The work is a dense convolution with a full filter {@code [K, C, R, S]} whose
 * unconnected slices are zero: the parameters are scattered into it before each forward and the
 * filter gradient is gathered back, so an unconnected weight is never counted, never updated and
 * always zero. On a CUDA device the convolution is cuDNN's ({@link ConvOp#plan}) and the scatter
 * and gather are kernels ({@link ConnectionTableCuda}); the dense filters move to the input's device.
 *
 * <pre>{@code
 * PartialConv2d c3 = new PartialConv2d(PartialConv2d.config(LeNet1998Tables.c3(), 5), rng); // 6@14x14 -> 16@10x10
 * }</pre>
 *
 * <p>Initialisation as in the paper: weights and biases uniform in {@code ±2.4 / F}, where F is the
 * fan-in of the output map (connected inputs times R times S).
 */
public final class PartialConv2d extends Module {

    /**
     * {@code table[c][k]} is true when input map c feeds output map k (rows are input maps, as in
     * the paper's table). Every output map needs at least one input.
     */
    public record Config(boolean[][] table, int kernel) {
        public Config {
            if (table.length == 0 || table[0].length == 0) throw new IllegalArgumentException("PartialConv2d: empty table");
            if (kernel < 1) throw new IllegalArgumentException("PartialConv2d: kernel must be >= 1, got " + kernel);
            for (boolean[] row : table) {
                if (row.length != table[0].length) throw new IllegalArgumentException("PartialConv2d: ragged table");
            }
            for (int k = 0; k < table[0].length; k++) {
                boolean any = false;
                for (boolean[] row : table) any |= row[k];
                if (!any) throw new IllegalArgumentException("PartialConv2d: output map " + k + " has no input");
            }
            table = copy(table);
        }

        /** A defensive copy: the table is part of the layer's identity. */
        @Override public boolean[][] table() { return copy(table); }

        public int inChannels() { return table.length; }

        public int outChannels() { return table[0].length; }

        /** Number of connected (input, output) pairs. */
        public int connections() {
            int n = 0;
            for (boolean[] row : table) for (boolean b : row) n += b ? 1 : 0;
            return n;
        }

        boolean connected(int c, int k) { return table[c][k]; }

        private static boolean[][] copy(boolean[][] t) {
            boolean[][] c = new boolean[t.length][];
            for (int i = 0; i < t.length; i++) c[i] = t[i].clone();
            return c;
        }
    }

    /** A config for {@code table} (rows input maps, columns output maps) and a square kernel. */
    public static Config config(boolean[][] table, int kernel) { return new Config(table, kernel); }

    private final Config config;
    private final Param weight;         // [connections, R, S]
    private final Param bias;           // [K]
    private final int[] connIn;         // input map of each connection
    private final int[] connOut;        // output map of each connection
    private final Tensor fullW;         // [K, C, R, S], zero where unconnected; on the input's device
    private final Tensor fullDW;        // [K, C, R, S], scratch for the filter gradient; on the input's device
    private final Conv2d.Config dense;  // the dense convolution doing the work

    private ConvOp op;
    private ConnectionTableCuda table;  // the masking kernels of a CUDA input
    private Tensor y;                   // [N, K, OH, OW]
    private Tensor dX;                  // [N, C, H, W]
    private Tensor input;

    public PartialConv2d(Config config, Rng rng) {
        this.config = config;
        int c = config.inChannels(), k = config.outChannels(), r = config.kernel();
        int n = config.connections();
        connIn = new int[n];
        connOut = new int[n];
        int[] fanIn = new int[k];
        for (int o = 0, i = 0; o < k; o++) {
            for (int ci = 0; ci < c; ci++) {
                if (config.connected(ci, o)) {
                    connIn[i] = ci;
                    connOut[i++] = o;
                    fanIn[o] += r * r;
                }
            }
        }
        Tensor w = Tensor.zeros(n, r, r);
        Tensor b = Tensor.zeros(k);
        float[] wd = w.data(), bd = b.data();
        for (int i = 0; i < n; i++) {
            float bound = 2.4f / fanIn[connOut[i]];
            rng.uniform(wd, i * r * r, (i + 1) * r * r, -bound, bound);
        }
        for (int o = 0; o < k; o++) rng.uniform(bd, o, o + 1, -2.4f / fanIn[o], 2.4f / fanIn[o]);
        this.weight = Param.of("weight", w);
        this.bias = Param.of("bias", b);
        this.fullW = Tensor.zeros(k, c, r, r);
        this.fullDW = Tensor.zeros(k, c, r, r);
        this.dense = Conv2d.config(c, k, r).build();
    }

    public Config config() { return config; }

    public Param weight() { return weight; }

    public Param bias() { return bias; }

    @Override public Shape outputShape(Shape inputShape) {
        return ConvGeometry.of(dense, inputShape).outputShape();
    }

    @Override public Tensor forward(Tensor x, Mode mode) {
        if (op == null || !op.geometry().inputShape().equals(x.shape()) || fullW.device() != x.device()) {
            fullW.moveTo(x.device());       // the dense filters follow the input (zero slices stay zero)
            fullDW.moveTo(x.device());
            op = ConvOp.plan(ConvGeometry.of(dense, x.shape()), x.device());
            Shape ys = op.geometry().outputShape();
            if (!Tensor.fits(y, ys, x.device())) y = Tensor.zeros(ys, x.device());
            if (!x.device().isCpu() && (table == null || table.device() != x.device())) {
                table = new ConnectionTableCuda(x.device(), connIn, connOut, config.inChannels(), config.kernel() * config.kernel());
            }
        }
        if (x.device().isCpu()) scatter();
        else table.scatter(weight.value(), fullW);
        op.forward(x, fullW, bias.value(), y);
        input = x;
        return y;
    }

    @Override public Tensor backward(Tensor dY) {
        if (input == null) throw new IllegalStateException(describe() + ": backward before forward");
        if (!dY.shape().equals(y.shape())) {
            throw new IllegalArgumentException(describe() + ": gradient " + dY.shape() + " does not match output " + y.shape());
        }
        if (needsInputGrad) {
            if (!Tensor.fits(dX, input.shape(), input.device())) dX = Tensor.zeros(input.shape(), input.device());
            op.backwardData(dY, fullW, dX); // unconnected slices are zero, so they pass nothing back
        }
        fullDW.fill(0f);
        op.backwardFilter(input, dY, fullDW);
        if (input.device().isCpu()) gatherGrad();
        else table.gatherAdd(fullDW, weight.grad());
        op.backwardBias(dY, bias.grad());
        return needsInputGrad ? dX : null;
    }

    /** fullW[k, c] = weight[i] for every connection i = (c, k). */
    private void scatter() {
        int rs = config.kernel() * config.kernel(), c = config.inChannels();
        float[] w = weight.value().data(), full = fullW.data();
        for (int i = 0; i < connIn.length; i++) {
            System.arraycopy(w, i * rs, full, (connOut[i] * c + connIn[i]) * rs, rs);
        }
    }

    /** weight.grad[i] += fullDW[k, c] for every connection i = (c, k). */
    private void gatherGrad() {
        int rs = config.kernel() * config.kernel(), c = config.inChannels();
        float[] g = weight.grad().data(), full = fullDW.data();
        for (int i = 0; i < connIn.length; i++) {
            int from = (connOut[i] * c + connIn[i]) * rs;
            for (int j = 0; j < rs; j++) g[i * rs + j] += full[from + j];
        }
    }

    @Override public List<Param> params() { return List.of(weight, bias); }

    @Override public String describe() {
        return "PartialConv2d(" + config.inChannels() + "->" + config.outChannels() + ", " + config.kernel() + "x"
                + config.kernel() + ", " + config.connections() + " connections)";
    }
}
