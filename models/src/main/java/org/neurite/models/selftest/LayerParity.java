package org.neurite.models.selftest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.layers.Modules;
import org.neurite.layers.Param;
import org.neurite.layers.Concat;
import org.neurite.layers.DenseBlock;
import org.neurite.layers.Residual;
import org.neurite.layers.Sequential;
import org.neurite.layers.activation.Activation;
import org.neurite.layers.activation.Softmax;
import org.neurite.layers.conv.Conv2d;
import org.neurite.layers.dense.Dense;
import org.neurite.layers.dropout.Dropout;
import org.neurite.layers.embedding.Embedding;
import org.neurite.layers.embedding.OneHot;
import org.neurite.layers.lenet1998.LeNet1998Tables;
import org.neurite.layers.lenet1998.PartialConv2d;
import org.neurite.layers.lenet1998.ScaledTanh;
import org.neurite.layers.lenet1998.Subsampling;
import org.neurite.layers.lrn.LocalResponseNorm;
import org.neurite.layers.norm.BatchNorm1d;
import org.neurite.layers.norm.BatchNorm2d;
import org.neurite.layers.pool.AvgPool2d;
import org.neurite.layers.pool.GlobalAvgPool;
import org.neurite.layers.pool.MaxPool2d;
import org.neurite.layers.pool.Pool2d;
import org.neurite.layers.rnn.CellType;
import org.neurite.layers.rnn.Rnn;
import org.neurite.layers.sequence.SequencePool;
import org.neurite.layers.sequence.TimeDistributed;
import org.neurite.layers.shape.Flatten;
import org.neurite.models.zoo.Corruption;
import org.neurite.runtime.Device;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * Every layer family run through its module on the CPU and on a device from the same seed and the
 * same random input and output gradient: forward, dX, and each parameter's gradient (dW, db)
 * compared element by element. The module path is what is checked (allocation on the input's
 * device, engine choice, parameter moves), not the engines alone.
 * <pre>{@code
 * for (LayerParity.Row r : LayerParity.run(cuda, 1e-4)) System.out.println(r);
 * }</pre>
 */
public final class LayerParity {
    private LayerParity() { }

    /** One compared tensor: family, what ("forward", "dX", "weight.grad"), errors, verdict. */
    public record Row(String family, String what, double maxAbs, double maxRel, boolean ok) {
        @Override public String toString() {
            return String.format(java.util.Locale.ROOT, "%-26s %-14s %10.3e %10.3e  %s", family, what, maxAbs, maxRel, ok ? "ok" : "MISMATCH");
        }
    }

    /**
     * A layer family: a builder from a seeded Rng, its input shape and, for layers that read token
     * ids (embedding, one-hot), the vocabulary the random ids are drawn below (0: Gaussian floats).
     */
    public record Family(String name, Function<Rng, Module> build, Shape input, int vocab) {
        public Family(String name, Function<Rng, Module> build, Shape input) { this(name, build, input, 0); }
    }

    /** The families checked, on small shapes. */
    public static List<Family> families() {
        Shape img = Shape.of(4, 3, 8, 8);
        return List.of(
                new Family("Conv2d 3x3 pad 1", r -> new Conv2d(Conv2d.config(3, 5, 3).padding(1).build(), r), img),
                new Family("Conv2d 5x5 stride 2", r -> new Conv2d(Conv2d.config(3, 4, 5).stride(2).build(), r), img),
                new Family("MaxPool2d 2x2", r -> new MaxPool2d(Pool2d.Config.of(2, 2)), img),
                new Family("AvgPool2d 2x2", r -> new AvgPool2d(Pool2d.Config.of(2, 2)), img),
                new Family("GlobalAvgPool", r -> new GlobalAvgPool(), img),
                new Family("ReLU", r -> Activation.relu(), img),
                new Family("LeakyReLU(0.1)", r -> Activation.leakyRelu(0.1f), img),
                new Family("ELU(0.7)", r -> Activation.elu(0.7f), img),
                new Family("Tanh", r -> Activation.tanh(), img),
                new Family("Sigmoid", r -> Activation.sigmoid(), img),
                new Family("Softmax", r -> new Softmax(), Shape.of(6, 10)),
                new Family("Dense", r -> new Dense(20, 7, r), Shape.of(6, 20)),
                // a following ReLU is fused into the layer by engines that can (the CPU's), applied apart by the others
                new Family("Conv2d+BatchNorm2d+ReLU", r -> new Sequential().add("conv", new Conv2d(Conv2d.config(3, 4, 3).padding(1).build(), r))
                        .add("bn", new BatchNorm2d(4)).add("relu", Activation.relu()), img),
                new Family("Dense+ReLU", r -> new Sequential().add("fc", new Dense(20, 7, r)).add("relu", Activation.relu()), Shape.of(6, 20)),
                new Family("Residual(conv, identity)", r -> new Residual(new Conv2d(Conv2d.config(3, 3, 3).padding(1).build(), r), null), img),
                new Family("Residual(conv, 1x1 proj)", r -> new Residual(new Conv2d(Conv2d.config(3, 4, 3).stride(2).padding(1).build(), r),
                        new Conv2d(Conv2d.config(3, 4, 1).stride(2).build(), r)), img),
                new Family("BatchNorm2d", r -> new BatchNorm2d(3), img),
                new Family("BatchNorm1d", r -> new BatchNorm1d(7), Shape.of(6, 7)),
                new Family("LocalResponseNorm", r -> new LocalResponseNorm(LocalResponseNorm.Config.of(3)), img),
                new Family("Dropout(0.5)", r -> new Dropout(0.5f, r), Shape.of(6, 20)),
                new Family("LSTM", r -> new Rnn(Rnn.Config.of(CellType.LSTM, 5, 6), r), Shape.of(4, 3, 5)),
                new Family("GRU", r -> new Rnn(Rnn.Config.of(CellType.GRU, 5, 6), r), Shape.of(4, 3, 5)),
                new Family("RNN(tanh)", r -> new Rnn(Rnn.Config.of(CellType.RNN_TANH, 5, 6), r), Shape.of(4, 3, 5)),
                new Family("BiLSTM x2", r -> new Rnn(Rnn.Config.of(CellType.LSTM, 5, 4).withLayers(2).withBidirectional(true), r), Shape.of(4, 3, 5)),
                new Family("Embedding", r -> new Embedding(7, 4, r), Shape.of(5, 3), 7),
                new Family("OneHot", r -> new OneHot(7), Shape.of(5, 3), 7),
                new Family("Concat(1x1, 3x3)", r -> Concat.of(new Conv2d(Conv2d.config(3, 2, 1).build(), r),
                        new Conv2d(Conv2d.config(3, 3, 3).padding(1).build(), r)), img),
                new Family("DenseBlock", r -> new DenseBlock(DenseBlock.config(3, 2, 2), r), img),
                new Family("Flatten", r -> new Flatten(), img),
                new Family("Subsampling", r -> new Subsampling(3), img),
                new Family("ScaledTanh", r -> new ScaledTanh(), img),
                new Family("PartialConv2d", r -> new PartialConv2d(PartialConv2d.config(
                        LeNet1998Tables.grid("X.X.", ".XX.", "..XX"), 3), r), img),
                new Family("SequencePool(max)", r -> new SequencePool(SequencePool.Kind.MAX), Shape.of(5, 3, 4)),
                new Family("SequencePool(mean)", r -> new SequencePool(SequencePool.Kind.MEAN), Shape.of(5, 3, 4)),
                new Family("TimeDistributed(Dense)", r -> new TimeDistributed(new Dense(4, 3, r)), Shape.of(5, 3, 4)),
                new Family("Corruption(mask 0.3)", r -> Corruption.masking(0.3, r), img),
                new Family("Corruption(gauss 0.2)", r -> Corruption.gaussian(0.2, r), img));
    }

    /** All families on {@code device} against the CPU; {@code tol} bounds |d| / max(1, max|cpu|). */
    public static List<Row> run(Device device, double tol) {
        List<Row> rows = new ArrayList<>();
        for (Family f : families()) rows.addAll(compare(f, device, tol));
        return rows;
    }

    /** One family's rows. */
    public static List<Row> compare(Family f, Device device, double tol) {
        Module cpu = f.build().apply(new Rng(11));
        Module dev = f.build().apply(new Rng(11));
        Modules.moveTo(dev, device);
        Rng data = new Rng(12);
        Tensor x = f.vocab() > 0 ? ids(data, f.input(), f.vocab()) : random(data, f.input());
        Tensor yCpu = cpu.forward(x, Mode.TRAIN);
        Tensor dY = random(data, yCpu.shape());
        List<Row> rows = new ArrayList<>();
        Tensor xDev = x.toDevice(device);
        Tensor yDev = dev.forward(xDev, Mode.TRAIN);
        rows.add(row(f.name(), "forward", yCpu, yDev, tol));
        cpu.zeroGrad();
        dev.zeroGrad();
        Tensor dXCpu = cpu.backward(dY);
        Tensor dYDev = dY.toDevice(device);
        Tensor dXDev = dev.backward(dYDev);
        if (dXCpu != null) rows.add(row(f.name(), "dX", dXCpu, dXDev, tol));   // token ids have none
        List<Param> pc = cpu.params(), pd = dev.params();
        for (int i = 0; i < pc.size(); i++) rows.add(row(f.name(), "d" + pc.get(i).name(), pc.get(i).grad(), pd.get(i).grad(), tol));
        if (xDev != x) xDev.close();
        if (dYDev != dY) dYDev.close();
        return rows;
    }

    private static Tensor random(Rng rng, Shape s) {
        Tensor t = Tensor.zeros(s);
        rng.normal(t.data(), 0, t.size(), 0f, 1f);
        return t;
    }

    private static Tensor ids(Rng rng, Shape s, int vocab) {
        Tensor t = Tensor.zeros(s);
        for (int i = 0; i < t.size(); i++) t.set(i, rng.nextInt(vocab));
        return t;
    }

    /** Errors of {@code actual} (any device) against {@code expected} (CPU). */
    static Row row(String family, String what, Tensor expected, Tensor actual, double tol) {
        float[] e = expected.data();
        float[] a = actual.toCpu().data();
        double scale = 1, maxAbs = 0, maxRel = 0;
        for (float v : e) scale = Math.max(scale, Math.abs(v));
        boolean ok = e.length == a.length;
        for (int i = 0; i < Math.min(e.length, a.length); i++) {
            double d = Math.abs((double) e[i] - a[i]);
            if (Double.isNaN(d)) {
                ok = false;
                maxAbs = Double.NaN;
                break;
            }
            maxAbs = Math.max(maxAbs, d);
            maxRel = Math.max(maxRel, d / Math.max(1e-6, Math.abs(e[i])));
        }
        ok &= maxAbs <= tol * scale;
        return new Row(family, what, maxAbs, maxRel, ok);
    }
}
