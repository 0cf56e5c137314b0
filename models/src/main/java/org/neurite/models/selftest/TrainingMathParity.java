package org.neurite.models.selftest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.neurite.layers.Param;
import org.neurite.layers.loss.BinaryCrossEntropy;
import org.neurite.layers.loss.Loss;
import org.neurite.layers.loss.MeanSquaredError;
import org.neurite.layers.loss.MultiMarginHinge;
import org.neurite.layers.loss.SoftmaxCrossEntropy;
import org.neurite.layers.optim.AdaGrad;
import org.neurite.layers.optim.Adam;
import org.neurite.layers.optim.GradClip;
import org.neurite.layers.optim.Optimizer;
import org.neurite.layers.optim.RmsProp;
import org.neurite.layers.optim.Sgd;
import org.neurite.runtime.Device;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * The training arithmetic beside the layers, on the CPU and on a device from the same random data:
 * every loss (value and gradient), every optimizer (weights and state after three steps) and
 * global-norm clipping (norm and clipped gradients), in {@link LayerParity}'s rows.
 */
public final class TrainingMathParity {
    private TrainingMathParity() { }

    /** Every loss, optimizer and clipping on {@code device} against the CPU. */
    public static List<LayerParity.Row> run(Device device, double tol) {
        List<LayerParity.Row> rows = new ArrayList<>();
        rows.addAll(loss("SoftmaxCrossEntropy", SoftmaxCrossEntropy::new, true, device, tol));
        rows.addAll(loss("MeanSquaredError", MeanSquaredError::new, false, device, tol));
        rows.addAll(loss("BinaryCrossEntropy", BinaryCrossEntropy::new, false, device, tol));
        rows.addAll(loss("MultiMarginHinge", MultiMarginHinge::new, true, device, tol));
        rows.addAll(optimizer("SGD Nesterov", p -> new Sgd(p, Sgd.Config.of(0.05).withMomentum(0.9).withNesterov(true)), device, tol));
        rows.addAll(optimizer("Adam", p -> new Adam(p, 0.01), device, tol));
        rows.addAll(optimizer("AdamW", p -> new Adam(p, Adam.Config.adamW(0.01, 0.05)), device, tol));
        rows.addAll(optimizer("AdaGrad", p -> new AdaGrad(p, AdaGrad.Config.of(0.1).withWeightDecay(0.01)), device, tol));
        rows.addAll(optimizer("RMSProp centered", p -> new RmsProp(p, RmsProp.Config.of(0.01).withCentered(true).withMomentum(0.5)),
                device, tol));
        rows.addAll(clip(device, tol));
        return rows;
    }

    private static List<LayerParity.Row> loss(String name, Supplier<Loss> make, boolean classes, Device device, double tol) {
        Rng rng = new Rng(13);
        Shape s = Shape.of(6, 10);
        Tensor x = uniform(rng, s, -3f, 3f);
        Tensor t = classes ? Tensor.zeros(6) : uniform(rng, s, 0f, 1f);
        if (classes) for (int i = 0; i < 6; i++) t.data()[i] = rng.nextInt(10);
        Loss cpu = make.get(), dev = make.get();
        Tensor lossCpu = scalar(cpu.forward(x, t));
        Tensor xDev = x.toDevice(device);
        Tensor lossDev = scalar(dev.forward(xDev, t));
        List<LayerParity.Row> rows = List.of(LayerParity.row(name, "loss", lossCpu, lossDev, tol),
                LayerParity.row(name, "dX", cpu.backward(), dev.backward(), tol));
        if (xDev != x) xDev.close();
        return rows;
    }

    private static List<LayerParity.Row> optimizer(String name, Function<List<Param>, Optimizer> make, Device device, double tol) {
        Rng rng = new Rng(17);
        Shape s = Shape.of(40, 30);
        Tensor w = uniform(rng, s, -1f, 1f);
        Param cpu = new Param("w", w, Tensor.zeros(s));
        Param dev = new Param("w", copyOn(w, device), Tensor.zeros(s, device));
        Optimizer oc = make.apply(List.of(cpu)), od = make.apply(List.of(dev));
        for (int step = 0; step < 3; step++) {
            Tensor g = uniform(rng, s, -2f, 2f);
            cpu.grad().copyFrom(g);
            dev.grad().copyFrom(g);
            oc.step();
            od.step();
        }
        List<LayerParity.Row> rows = new ArrayList<>();
        rows.add(LayerParity.row(name, "weights", cpu.value(), dev.value(), tol));
        oc.state().forEach((k, v) -> rows.add(LayerParity.row(name, k.substring(2), v, od.state().get(k), tol)));
        return rows;
    }

    private static List<LayerParity.Row> clip(Device device, double tol) {
        Rng rng = new Rng(19);
        Shape[] shapes = {Shape.of(5), Shape.of(70, 50)};
        List<Param> cpu = new ArrayList<>(), dev = new ArrayList<>();
        for (Shape s : shapes) {
            Tensor g = uniform(rng, s, -1f, 1f);
            cpu.add(new Param("p" + cpu.size(), Tensor.zeros(s), g));
            dev.add(new Param("p" + dev.size(), Tensor.zeros(s, device), copyOn(g, device)));
        }
        Tensor normCpu = scalar(GradClip.clipByGlobalNorm(cpu, 1.0));
        Tensor normDev = scalar(GradClip.clipByGlobalNorm(dev, 1.0));
        List<LayerParity.Row> rows = new ArrayList<>();
        rows.add(LayerParity.row("GradClip (max norm 1)", "norm", normCpu, normDev, tol));
        for (int i = 0; i < shapes.length; i++) {
            rows.add(LayerParity.row("GradClip (max norm 1)", "d" + cpu.get(i).name(), cpu.get(i).grad(), dev.get(i).grad(), tol));
        }
        return rows;
    }

    /** A copy of {@code t} on {@code device}, never {@code t} itself (both sides update their own). */
    private static Tensor copyOn(Tensor t, Device device) {
        return device.isCpu() ? t.copy() : t.toDevice(device);
    }

    private static Tensor scalar(double v) {
        return Tensor.wrap(Shape.of(1), new float[] {(float) v});
    }

    private static Tensor uniform(Rng rng, Shape s, float lo, float hi) {
        Tensor t = Tensor.zeros(s);
        rng.uniform(t.data(), 0, t.size(), lo, hi);
        return t;
    }
}
