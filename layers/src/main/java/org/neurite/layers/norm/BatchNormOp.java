package org.neurite.layers.norm;

import org.neurite.runtime.Device;
import org.neurite.runtime.cuda.CudaTensors;
import org.neurite.runtime.Tensor;

/**
 * One batch normalisation planned for one {@link BatchNormGeometry}, split the way cuDNN splits it
 * ({@code cudnnBatchNormalizationForwardTraining}, {@code ...ForwardInference},
 * {@code ...Backward}). Per-channel tensors (gamma, beta, running and saved statistics, their
 * gradients) hold {@code channels} floats. Outputs y and dX are written, except that
 * {@code accumulateDx} adds into dX (cuDNN's beta = 1); dGamma and dBeta are always added into
 * ({@code +=}), as for every parameter gradient. dX may be null when the input needs no gradient.
 *
 * <p>Semantics are PyTorch's: normalisation with the biased batch variance; the running variance is
 * updated with the unbiased one, {@code r = (1 - momentum) * r + momentum * stat}.
 */
public interface BatchNormOp {

    /** Plans {@code g} on the engine of {@code device}: the one place an engine is chosen. */
    static BatchNormOp plan(BatchNormGeometry g, Device device) {
        return switch (device.kind()) {
            case CPU -> new BatchNormCpu(g);
            case CUDA -> new BatchNormCudnn(g, CudaTensors.cuda(device));
        };
    }

    BatchNormGeometry geometry();

    /**
     * y = gamma * (x - mean) * invStd + beta with the batch statistics; writes them to saveMean and
     * saveInvStd (1 / sqrt(biased var + eps)) for backward and updates the running statistics.
     */
    void forwardTraining(Tensor x, Tensor gamma, Tensor beta, float momentum, float eps,
                         Tensor runningMean, Tensor runningVar, Tensor saveMean, Tensor saveInvStd, Tensor y);

    /** y = gamma * (x - mean) / sqrt(var + eps) + beta with the given (running) statistics. */
    void forwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor var, float eps, Tensor y);

    /**
     * y = gamma * (x - mean) * invStd + beta with given statistics and no update: recomputes a
     * training forward from its saved statistics (memory-efficient DenseNet recomputes instead of
     * storing).
     */
    void normalize(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor invStd, Tensor y);

    /**
     * Backward of {@link #forwardTraining} (the statistics depend on x): from the forward's x and
     * its saved statistics, dX = gamma * invStd / M * (M dY - sum dY - xhat sum(dY xhat)),
     * dGamma += sum(dY xhat), dBeta += sum dY, with M = n * spatial.
     */
    void backward(Tensor x, Tensor dY, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                  Tensor dX, boolean accumulateDx, Tensor dGamma, Tensor dBeta);

    /**
     * Backward with fixed statistics (evaluation mode): dX = gamma * invStd * dY,
     * dGamma += sum(dY xhat), dBeta += sum dY.
     */
    void backwardFixed(Tensor x, Tensor dY, Tensor gamma, Tensor mean, Tensor invStd,
                       Tensor dX, boolean accumulateDx, Tensor dGamma, Tensor dBeta);

    /** True when this engine applies a following ReLU itself (the {@code relu} overloads below). */
    default boolean fusesRelu() { return false; }

    /** {@link #forwardTraining}, then y = max(y, 0) when {@code relu} (only engines that {@link #fusesRelu()}). */
    default void forwardTraining(Tensor x, Tensor gamma, Tensor beta, float momentum, float eps, Tensor runningMean,
                                 Tensor runningVar, Tensor saveMean, Tensor saveInvStd, Tensor y, boolean relu) {
        if (relu) throw new UnsupportedOperationException(getClass().getSimpleName() + " does not fuse ReLU");
        forwardTraining(x, gamma, beta, momentum, eps, runningMean, runningVar, saveMean, saveInvStd, y);
    }

    /** {@link #forwardInference}, then y = max(y, 0) when {@code relu} (only engines that {@link #fusesRelu()}). */
    default void forwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor var, float eps, Tensor y, boolean relu) {
        if (relu) throw new UnsupportedOperationException(getClass().getSimpleName() + " does not fuse ReLU");
        forwardInference(x, gamma, beta, mean, var, eps, y);
    }

    /**
     * {@link #backward} ({@code batchStats}) or {@link #backwardFixed}, where dY is the gradient after
     * a fused ReLU whose output is {@code reluY}: the engine applies relu'(reluY) to it first. A null
     * {@code reluY} means no fused ReLU.
     */
    default void backward(Tensor x, Tensor reluY, Tensor dY, Tensor gamma, Tensor mean, Tensor invStd,
                          Tensor dX, boolean accumulateDx, Tensor dGamma, Tensor dBeta, boolean batchStats) {
        if (reluY != null) throw new UnsupportedOperationException(getClass().getSimpleName() + " does not fuse ReLU");
        if (batchStats) {
            backward(x, dY, gamma, mean, invStd, dX, accumulateDx, dGamma, dBeta);
        } else {
            backwardFixed(x, dY, gamma, mean, invStd, dX, accumulateDx, dGamma, dBeta);
        }
    }
}
