package org.neurite.layers.loss;

import static org.junit.jupiter.api.Assertions.fail;

import org.neurite.runtime.Tensor;

/**
 * Finite differences on a loss value: each d(loss)/d(output_i) as the central difference
 * (L(x+h) - L(x-h)) / 2h, the loss itself accumulated in double, against {@link Loss#backward()}.
 */
final class LossGradCheck {
    private LossGradCheck() { }

    static void check(Loss loss, Tensor output, Tensor target, double h, double rel, double abs) {
        loss.forward(output, target);
        float[] analytic = loss.backward().data().clone();
        float[] x = output.data();
        for (int i = 0; i < x.length; i++) {
            float orig = x[i];
            x[i] = (float) (orig + h);
            double plus = loss.forward(output, target);
            float up = x[i];
            x[i] = (float) (orig - h);
            double minus = loss.forward(output, target);
            float down = x[i];
            x[i] = orig;
            double numeric = (plus - minus) / ((double) up - down);
            double err = Math.abs(numeric - analytic[i]);
            if (err > abs + rel * Math.abs(numeric)) {
                fail(String.format("d loss / d output[%d]: analytic %.6g, finite difference %.6g (error %.3g)",
                        i, analytic[i], numeric, err));
            }
        }
    }
}
