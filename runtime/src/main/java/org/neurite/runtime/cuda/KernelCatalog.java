package org.neurite.runtime.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * The CUDA kernels Neurite ships as PTX (built from {@code native-kernels/src/main/cuda}), grouped
 * by the PTX module that holds them. The engine loads a module once per device with
 * {@code cuModuleLoadData} (after a successful probe) and looks its kernels up by these names; a
 * unit test checks that every name listed here is an {@code .entry} of its committed PTX.
 */
public enum KernelCatalog {
    /** Grid-stride element-wise kernels (elementwise.cu). */
    ELEMENTWISE("elementwise", "fill_f32", "axpy_f32", "scale_f32", "bias_add_nchw_f32", "bias_add_rows_f32",
            "relu_forward_f32", "relu_backward_f32", "leaky_relu_forward_f32", "leaky_relu_backward_f32"),
    /** Reductions: column sums for bias gradients (reduce.cu). */
    REDUCE("reduce", "col_sum_add_f32"),
    /** Fused softmax cross-entropy, loss and gradient, one block per row (softmax_xent.cu). */
    SOFTMAX_XENT("softmax_xent", "softmax_xent_f32"),
    /** Mean squared error, binary cross-entropy on logits, multi-class hinge; deterministic partial sums (losses.cu). */
    LOSSES("losses", "mse_f32", "bce_logits_f32", "hinge_f32", "loss_finish_f32"),
    /** Global-norm gradient clipping: partial sums of squares, the factor, the scaling (clip.cu). */
    CLIP("clip", "sumsq_partial_f32", "clip_factor_f32", "clip_scale_f32"),
    /** Training-loop checks: non-finite flags per tensor, row argmax (checks.cu). */
    CHECKS("checks", "nonfinite_flag_f32", "argmax_rows_f32"),
    /** SGD with momentum / Nesterov / weight decay, and Adam / AdamW, AdaGrad, RMSProp (optimizers.cu). */
    OPTIMIZERS("optimizers", "sgd_momentum_f32", "adam_f32", "adagrad_f32", "rmsprop_f32"),
    /** Batch-norm pieces without a cuDNN call: normalise with given statistics, fixed-statistics backward (batchnorm.cu). */
    BATCHNORM("batchnorm", "bn_normalize_f32", "bn_backward_fixed_f32"),
    /** Cross-channel LRN with PyTorch's window, for what cuDNN's LRN cannot match (lrn.cu). */
    LRN("lrn", "lrn_forward_f32", "lrn_ratio_f32", "lrn_backward_f32"),
    /** Dropout with a host-drawn mask (dropout.cu). */
    DROPOUT("dropout", "dropout_apply_f32"),
    /** ReLU and its gradient over a channel prefix of a wider NCHW buffer: DenseNet's block (channels.cu). */
    CHANNELS("channels", "relu_prefix_f32", "relu_prefix_backward_f32"),
    /** Embedding gather, deterministic scatter-add, one-hot (embedding.cu). */
    EMBEDDING("embedding", "embedding_gather_f32", "embedding_scatter_add_f32", "one_hot_f32"),
    /** LeNet-1998 subsampling, scaled tanh, connection-table masking (lenet1998.cu). */
    LENET1998("lenet1998", "subsample_forward_f32", "subsample_backward_data_f32", "subsample_plane_grads_f32",
            "subsample_channel_grads_f32", "scaled_tanh_forward_f32", "scaled_tanh_backward_f32",
            "partial_conv_scatter_f32", "partial_conv_gather_add_f32"),
    /** Max and mean over time of a [T, N, C] sequence, and their gradients (sequence.cu). */
    SEQUENCE("sequence", "seq_max_forward_f32", "seq_max_backward_f32", "seq_mean_forward_f32", "seq_mean_backward_f32");

    /** The folder of the PTX resources on the class path. */
    public static final String RESOURCE_DIR = "/org/neurite/kernels/";

    private final String module;
    private final List<String> kernels;

    KernelCatalog(String module, String... kernels) {
        this.module = module;
        this.kernels = List.of(kernels);
    }

    /** The CUDA source's base name, e.g. "elementwise". */
    public String module() { return module; }

    /** The class-path resource of the PTX, e.g. "/org/neurite/kernels/elementwise.ptx". */
    public String resource() { return RESOURCE_DIR + module + ".ptx"; }

    /** The {@code extern "C"} kernel names in this module. */
    public List<String> kernels() { return kernels; }

    /** The PTX text as bytes, NUL-terminated as {@code cuModuleLoadData} expects. */
    public byte[] ptx() {
        try (InputStream in = KernelCatalog.class.getResourceAsStream(resource())) {
            if (in == null) throw new IllegalStateException("PTX resource " + resource() + " is missing from the class path");
            byte[] text = in.readAllBytes();
            return Arrays.copyOf(text, text.length + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource(), e);
        }
    }
}
