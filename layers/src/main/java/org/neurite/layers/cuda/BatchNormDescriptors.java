package org.neurite.layers.cuda;

import org.neurite.layers.norm.BatchNormGeometry;

/**
 * The numbers a cuDNN batch normalisation is described with, derived from a
 * {@link BatchNormGeometry} by a pure function.
 *
 * <ul>
 *   <li>Mode: {@code CUDNN_BATCHNORM_PER_ACTIVATION} for {@code [N, C]} (spatial 1), else
 *       {@code CUDNN_BATCHNORM_SPATIAL} (statistics over N, H, W per channel), as PyTorch chooses.
 *       Over {@code [N, C, 1, 1]} the two compute the same thing.</li>
 *   <li>x and y are 4-d {@code [n, C, spatial, 1]} with strides {@code [sampleStride, spatial, 1, 1]}:
 *       a sample stride wider than {@code C * spatial} reads a channel prefix of a wider NCHW buffer,
 *       as the CPU engine does for DenseNet.</li>
 *   <li>Per-channel tensors (gamma, beta, statistics) are {@code [1, C, 1, 1]}
 *       ({@code cudnnDeriveBNTensorDescriptor}'s result for both modes here).</li>
 *   <li>{@code exponentialAverageFactor} is PyTorch's momentum unchanged: cuDNN updates
 *       {@code running = (1 - factor) running + factor batchStat}. Like PyTorch (which relies on it), cuDNN
 *       tracks the <em>unbiased</em> variance {@code var * M / (M - 1)} and normalises with the biased
 *       one; its saved "inverse variance" is {@code 1 / sqrt(var + eps)}, the CPU engine's saveInvStd.</li>
 *   <li>epsilon is passed as the float's exact double value; cuDNN 8+ sets {@code CUDNN_BN_MIN_EPSILON}
 *       to 0 (cuDNN 7 had 1e-5, which PyTorch's default 1e-5f, as a double 9.99999974e-6, fails).</li>
 * </ul>
 *
 * @param mode           {@code cudnnBatchNormMode_t}
 * @param xDims          {@code [n, C, spatial, 1]}
 * @param xStrides       {@code [xSampleStride, spatial, 1, 1]}
 * @param yDims          same as xDims
 * @param yStrides       {@code [ySampleStride, spatial, 1, 1]}
 * @param paramDims      {@code [1, C, 1, 1]}
 */
public record BatchNormDescriptors(int mode, int[] xDims, int[] xStrides, int[] yDims, int[] yStrides, int[] paramDims) {
    /** {@code CUDNN_BATCHNORM_PER_ACTIVATION}. */
    public static final int PER_ACTIVATION = 0;
    /** {@code CUDNN_BATCHNORM_SPATIAL}. */
    public static final int SPATIAL = 1;
    /** {@code CUDNN_BN_MIN_EPSILON} of cuDNN 8 and 9. */
    public static final double MIN_EPSILON = 0.0;

    /** The descriptors of {@code g}. */
    public static BatchNormDescriptors of(BatchNormGeometry g) {
        int mode = g.spatial() == 1 ? PER_ACTIVATION : SPATIAL;
        int[] dims = {g.n(), g.channels(), g.spatial(), 1};
        return new BatchNormDescriptors(mode, dims, new int[] {g.xSampleStride(), g.spatial(), 1, 1},
                dims.clone(), new int[] {g.ySampleStride(), g.spatial(), 1, 1}, new int[] {1, g.channels(), 1, 1});
    }

    /** cuDNN's {@code exponentialAverageFactor} for a PyTorch momentum: the same number. */
    public static double exponentialAverageFactor(float momentum) {
        if (!(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException("batch norm momentum must be in [0, 1], got " + momentum);
        return momentum;
    }

    /** cuDNN's epsilon for {@code eps}: the float's value as a double, checked against cuDNN's minimum. */
    public static double epsilon(float eps) {
        double e = eps;
        if (!(e > MIN_EPSILON)) throw new IllegalArgumentException("batch norm eps must be > " + MIN_EPSILON + ", got " + eps);
        return e;
    }
}
