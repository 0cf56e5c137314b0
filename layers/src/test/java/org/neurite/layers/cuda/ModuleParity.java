package org.neurite.layers.cuda;

import java.util.List;
import java.util.function.Function;
import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.layers.Modules;
import org.neurite.layers.Param;
import org.neurite.runtime.Device;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.TensorAsserts;

/**
 * One module built twice from the same seed, one moved to a device, run on the same input and
 * output gradient: forward, dX and every parameter gradient compared with the CPU module, the
 * reference, to 1e-4 relative plus 1e-4 times the largest expected magnitude. Parameter gradients
 * start from the same random values on both, so the accumulation rule (+=) is checked too. Each
 * pass runs twice, so re-planned buffers and reused ones are both covered.
 */
final class ModuleParity {
    static final double TOL = 1e-4;

    private ModuleParity() { }

    static void check(String name, Function<Rng, Module> build, Tensor x, Device device, Mode mode) {
        Module cpu = build.apply(new Rng(21));
        Module dev = build.apply(new Rng(21));
        Rng data = new Rng(22);
        for (Param p : cpu.params()) data.normal(p.grad().data(), 0, p.grad().size(), 0f, 1f);
        List<Param> pc = cpu.params(), pd = dev.params();
        for (int i = 0; i < pc.size(); i++) pd.get(i).grad().copyFrom(pc.get(i).grad());
        Modules.moveTo(dev, device);
        Tensor xDev = x.toDevice(device);
        for (int round = 1; round <= 2; round++) {
            Tensor y = cpu.forward(x, mode);
            Tensor dY = Tensor.zeros(y.shape());
            data.normal(dY.data(), 0, dY.size(), 0f, 1f);
            Tensor yDev = dev.forward(xDev, mode);
            assertParity(name + " forward (round " + round + ")", y, yDev);
            Tensor dX = cpu.backward(dY);
            Tensor dYDev = dY.toDevice(device);
            Tensor dXDev = dev.backward(dYDev);
            if (dX != null) assertParity(name + " dX (round " + round + ")", dX, dXDev);
            for (int i = 0; i < pc.size(); i++) {
                assertParity(name + " d" + pc.get(i).name() + " (accumulated, round " + round + ")", pc.get(i).grad(), pd.get(i).grad());
            }
        }
    }

    static void assertParity(String what, Tensor expected, Tensor actual) {
        float[] e = expected.toCpu().data();
        float[] a = actual.toCpu().data();
        double scale = 1;
        for (float v : e) scale = Math.max(scale, Math.abs(v));
        TensorAsserts.assertClose(what, e, a, TOL, TOL * scale);
    }

    static Tensor random(Rng rng, int... dims) {
        Tensor t = Tensor.zeros(dims);
        rng.normal(t.data(), 0, t.size(), 0f, 1f);
        return t;
    }

    static Tensor ids(Rng rng, int vocab, int... dims) {
        Tensor t = Tensor.zeros(dims);
        for (int i = 0; i < t.size(); i++) t.set(i, rng.nextInt(vocab));
        return t;
    }
}
