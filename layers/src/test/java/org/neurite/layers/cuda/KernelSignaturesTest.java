package org.neurite.layers.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.neurite.runtime.cuda.KernelCatalog;

/**
 * The parameter lists of the loss, clipping, AdaGrad/RMSProp and training-check kernels in the
 * committed PTX, as the Java launchers (LossesCuda, GradClipCuda, OptimizerCuda, CudaChecks) pass them: i = int, p = pointer,
 * f = float, d = double. {@code cuLaunchKernel} cannot check them; a kernel whose signature changed
 * without its launcher would read garbage on a GPU, so the mismatch fails here, without one.
 */
class KernelSignaturesTest {
    private static final Pattern PARAM = Pattern.compile("\\.param \\.(u32|u64|f32|f64)[^,)]*_param_\\d+");

    /** The parameter types of {@code kernel} in {@code module}'s PTX, one letter each. */
    static String signature(KernelCatalog module, String kernel) {
        byte[] ptx = module.ptx();
        String text = new String(ptx, 0, ptx.length - 1, StandardCharsets.US_ASCII);
        int at = text.indexOf(".visible .entry " + kernel + "(");
        if (at < 0) throw new AssertionError(kernel + " is not an entry of " + module.resource());
        String params = text.substring(at, text.indexOf(')', at));
        StringBuilder sig = new StringBuilder();
        Matcher m = PARAM.matcher(params);
        while (m.find()) {
            sig.append(switch (m.group(1)) {
                case "u32" -> 'i';
                case "u64" -> 'p';
                case "f32" -> 'f';
                default -> 'd';
            });
        }
        return sig.toString();
    }

    @ParameterizedTest(name = "{0}.{1}({2})")
    @CsvSource({
            // LossesCuda.mse: n, output, target, grad, 2/n, partials
            "LOSSES, mse_f32, ipppfp",
            // LossesCuda.bce: n, output, target, grad, 1/n, partials, bad
            "LOSSES, bce_logits_f32, ipppfpp",
            // LossesCuda.hinge: rows, classes, output, labels, grad, unit, partials
            "LOSSES, hinge_f32, iipppfp",
            // LossesCuda.finish: count, partials, bad or NULL, scale (double), out
            "LOSSES, loss_finish_f32, ippdp",
            // GradClipCuda.clip: n, grad, partials + offset / count, partials, maxNorm (double), out / n, grad, factor
            "CLIP, sumsq_partial_f32, ipp",
            "CLIP, clip_factor_f32, ipdp",
            "CLIP, clip_scale_f32, ipp",
            // OptimizerCuda.adagrad: n, w, dw, sum, lr, eps, wd
            "OPTIMIZERS, adagrad_f32, ipppfff",
            // OptimizerCuda.rmsprop: n, w, dw, v, b, a, lr, alpha, 1 - alpha, eps, momentum, wd, use momentum, centered
            "OPTIMIZERS, rmsprop_f32, ippppp" + "ffffff" + "ii",
            // CudaChecks.nonFinite: n, tensor, flags, index; CudaChecks.argmaxRows: rows, cols, x, out
            "CHECKS, nonfinite_flag_f32, ippi",
            "CHECKS, argmax_rows_f32, iipp",
    })
    void ptxParametersMatchTheJavaLauncher(KernelCatalog module, String kernel, String expected) {
        assertEquals(expected, signature(module, kernel), module.resource() + " " + kernel);
    }
}
