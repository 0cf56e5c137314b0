package org.neurite.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;

/**
 * Finite-difference gradient checks (Torch7's Jacobian, Caffe's GradientChecker) for a module's
 * input and every parameter.
 *
 * <p>The scalar checked is L = sum_i r_i * y_i with a fixed random r, so dL/dy = r. Each partial
 * derivative is the central difference (L(x+h) - L(x-h)) / 2h with the forward in float32 and the
 * sums in double. Near a kink (ReLU at 0, max-pool ties) the difference is not a derivative, so, as
 * Caffe does, a point whose estimates with h and h/2 disagree is skipped; at most a tenth of the
 * points may be skipped.
 */
public final class GradCheck {
    private final double step;
    private final double rel;
    private final double abs;

    public GradCheck(double step, double rel, double abs) {
        this.step = step;
        this.rel = rel;
        this.abs = abs;
    }

    /** Defaults that suit float32 layers on values of order 1. */
    public static GradCheck standard() {
        return new GradCheck(1e-2, 2e-2, 2e-3);
    }

    /** Checks dL/dx and dL/dparam for every parameter of {@code module} at {@code input}. */
    public void check(Module module, Tensor input, Mode mode, long seed) {
        Rng rng = new Rng(seed);
        Tensor out = module.forward(input, mode);
        float[] r = new float[out.size()];
        rng.uniform(r, 0, r.length, -1f, 1f);
        Tensor dy = Tensor.wrap(out.shape(), r.clone());

        module.zeroGrad();
        module.forward(input, mode);
        Tensor dx = module.backward(dy);
        float[] analyticInput = dx == null ? null : dx.data().clone();
        List<Param> params = module.params();
        float[][] analyticParams = new float[params.size()][];
        for (int i = 0; i < params.size(); i++) analyticParams[i] = params.get(i).grad().data().clone();

        if (analyticInput != null) {
            compare("input", analyticInput, input.data(), module, input, mode, r);
        }
        for (int i = 0; i < params.size(); i++) {
            compare(params.get(i).name(), analyticParams[i], params.get(i).value().data(), module, input, mode, r);
        }
    }

    private void compare(String what, float[] analytic, float[] values, Module module, Tensor input, Mode mode, float[] r) {
        int skipped = 0;
        for (int i = 0; i < values.length; i++) {
            double d1 = central(values, i, step, module, input, mode, r);
            double d2 = central(values, i, step / 2, module, input, mode, r);
            if (Math.abs(d1 - d2) > abs + rel * Math.max(Math.abs(d1), Math.abs(d2))) {
                skipped++;
                continue;
            }
            double err = Math.abs(d2 - analytic[i]);
            if (err > abs + rel * Math.abs(d2)) {
                fail(String.format("%s gradient at index %d: analytic %.6g, finite difference %.6g (error %.3g)",
                        what, i, analytic[i], d2, err));
            }
        }
        assertTrue(skipped <= values.length / 10,
                what + ": " + skipped + " of " + values.length + " points sit on kinks; choose other inputs");
    }

    private static double central(float[] v, int i, double h, Module module, Tensor input, Mode mode, float[] r) {
        float orig = v[i];
        v[i] = (float) (orig + h);
        double plus = project(module.forward(input, mode), r);
        v[i] = (float) (orig - h);
        double minus = project(module.forward(input, mode), r);
        v[i] = orig;
        // Use the step actually applied after float rounding.
        double realH = ((double) (float) (orig + h) - (double) (float) (orig - h)) / 2;
        return (plus - minus) / (2 * realH);
    }

    private static double project(Tensor y, float[] r) {
        float[] d = y.data();
        double s = 0;
        for (int i = 0; i < d.length; i++) s += (double) r[i] * d[i];
        return s;
    }
}
