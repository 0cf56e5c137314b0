package org.neurite.layers.cuda;

import org.neurite.layers.lrn.LocalResponseNorm;

/**
 * Whether cuDNN's cross-channel LRN computes exactly the CPU engine's function for a config, as a
 * pure function, and the parameters it is described with.
 *
 * <p>cuDNN ({@code cudnnSetLRNDescriptor}'s documentation in cudnn.h) sums over
 * {@code [c - floor((n-1)/2), c + n - 1 - floor((n-1)/2)]}; PyTorch (and the CPU engine) over
 * {@code [c - floor(n/2), c + floor((n-1)/2)]}. For odd n both are {@code [c - (n-1)/2, c + (n-1)/2]};
 * for even n cuDNN's window is PyTorch's mirrored (n = 4: cuDNN [c-1, c+2], PyTorch [c-2, c+1]).
 * Both divide alpha by n. cuDNN also limits n to [1, 16], k to at least 1e-5 and beta to at least
 * 0.01. Outside that, the engine runs its own kernels (lrn.cu) with PyTorch's window.
 *
 * @param useCudnn true when cuDNN's LRN matches
 * @param reason   why not, or "" when it does
 */
public record LrnDescriptors(boolean useCudnn, String reason, int n, double alpha, double beta, double k) {
    /** {@code CUDNN_LRN_MIN_N}, {@code CUDNN_LRN_MAX_N}. */
    public static final int MIN_N = 1, MAX_N = 16;
    /** {@code CUDNN_LRN_MIN_K}, {@code CUDNN_LRN_MIN_BETA}. */
    public static final double MIN_K = 1e-5, MIN_BETA = 0.01;
    /** {@code CUDNN_LRN_CROSS_CHANNEL_DIM1}. */
    public static final int CROSS_CHANNEL = 0;

    /** The decision and parameters for {@code cfg}. */
    public static LrnDescriptors of(LocalResponseNorm.Config cfg) {
        String why = "";
        if (cfg.size() % 2 == 0) why = "even size " + cfg.size() + ": cuDNN's window is PyTorch's mirrored";
        else if (cfg.size() < MIN_N || cfg.size() > MAX_N) why = "size " + cfg.size() + " outside cuDNN's [1, 16]";
        else if (cfg.k() < MIN_K) why = "k " + cfg.k() + " below cuDNN's minimum 1e-5";
        else if (cfg.beta() < MIN_BETA) why = "beta " + cfg.beta() + " below cuDNN's minimum 0.01";
        return new LrnDescriptors(why.isEmpty(), why, cfg.size(), cfg.alpha(), cfg.beta(), cfg.k());
    }

    /** cuDNN's first channel of the window of channel c (unclipped). */
    public static int cudnnLow(int c, int n) { return c - (n - 1) / 2; }

    /** cuDNN's last channel of the window of channel c (unclipped). */
    public static int cudnnHigh(int c, int n) { return c + n - 1 - (n - 1) / 2; }

    /** PyTorch's first channel of the window of channel c (unclipped). */
    public static int torchLow(int c, int n) { return c - n / 2; }

    /** PyTorch's last channel of the window of channel c (unclipped). */
    public static int torchHigh(int c, int n) { return c + (n - 1) / 2; }
}
