package org.neurite.layers.norm;

import jcuda.Pointer;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnTensorDescriptor;
import org.neurite.layers.cuda.BatchNormDescriptors;
import org.neurite.layers.cuda.CudnnDescriptors;
import org.neurite.layers.cuda.CudnnObjects;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.cuda.CudaCheck;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.CudaKernels;
import org.neurite.runtime.cuda.CudaTensors;
import org.neurite.runtime.cuda.KernelCatalog;

/**
 * The cuDNN engine of {@link BatchNormOp}, with descriptors from {@link BatchNormDescriptors}
 * (strided x/y for a channel prefix, SPATIAL or PER_ACTIVATION mode, momentum as cuDNN's
 * exponential average factor).
 *
 * <pre>{@code
 * BatchNormOp op = new BatchNormCudnn(geometry, (CudaDevice) x.device());
 * }</pre>
 *
 * <p>Calls: {@code cudnnBatchNormalizationForwardTraining} (running statistics updated in place,
 * saved mean and inverse std written), {@code cudnnBatchNormalizationForwardInference},
 * {@code cudnnBatchNormalizationBackward} (alphaDataDiff 1, betaDataDiff 0 or 1 for
 * {@code accumulateDx}, alphaParamDiff 1 and betaParamDiff 1: dGamma and dBeta accumulate). cuDNN
 * has no call for {@link #normalize} (given mean and inverse std, no update) nor for
 * {@link #backwardFixed} (evaluation-mode statistics are constants): the kernels of batchnorm.cu
 * do those, and the parameter-only backward when dX is null (cuDNN always writes dX).
 */
public final class BatchNormCudnn implements BatchNormOp {
    private final BatchNormGeometry g;
    private final CudaDevice device;
    private final BatchNormDescriptors d;
    private final cudnnTensorDescriptor xDesc, yDesc, paramDesc;
    private double lastEps = BatchNorm.DEFAULT_EPS;     // the training forward's, which backward must repeat

    public BatchNormCudnn(BatchNormGeometry g, CudaDevice device) {
        this.g = g;
        this.device = device;
        this.d = BatchNormDescriptors.of(g);
        CudnnObjects objects = CudnnObjects.ownedBy(this);
        xDesc = objects.tensor(d.xDims(), d.xStrides());
        yDesc = objects.tensor(d.yDims(), d.yStrides());
        paramDesc = objects.tensor(d.paramDims());
    }

    @Override public BatchNormGeometry geometry() { return g; }

    @Override public void forwardTraining(Tensor x, Tensor gamma, Tensor beta, float momentum, float eps,
                                          Tensor runningMean, Tensor runningVar, Tensor saveMean, Tensor saveInvStd, Tensor y) {
        if (g.perChannel() < 2) throw new IllegalArgumentException("batch norm: training needs more than 1 value per channel, got " + g.perChannel());
        checkX(x, "x");
        checkY(y, "y");
        lastEps = BatchNormDescriptors.epsilon(eps);
        CudaCheck.cudnn(JCudnn.cudnnBatchNormalizationForwardTraining(device.cudnn(), d.mode(), CudnnDescriptors.ONE, CudnnDescriptors.ZERO,
                xDesc, ptr(x, "x"), yDesc, ptr(y, "y"), paramDesc, channel(gamma, "gamma"), channel(beta, "beta"),
                BatchNormDescriptors.exponentialAverageFactor(momentum), channel(runningMean, "running mean"), channel(runningVar, "running var"),
                lastEps, channel(saveMean, "saved mean"), channel(saveInvStd, "saved inverse std")),
                "cudnnBatchNormalizationForwardTraining");
    }

    @Override public void forwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor var, float eps, Tensor y) {
        checkX(x, "x");
        checkY(y, "y");
        CudaCheck.cudnn(JCudnn.cudnnBatchNormalizationForwardInference(device.cudnn(), d.mode(), CudnnDescriptors.ONE, CudnnDescriptors.ZERO,
                xDesc, ptr(x, "x"), yDesc, ptr(y, "y"), paramDesc, channel(gamma, "gamma"), channel(beta, "beta"),
                channel(mean, "mean"), channel(var, "var"), BatchNormDescriptors.epsilon(eps)),
                "cudnnBatchNormalizationForwardInference");
    }

    @Override public void normalize(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor invStd, Tensor y) {
        checkX(x, "x");
        checkY(y, "y");
        long total = (long) g.n() * g.channels() * g.spatial();
        device.kernels().launch(KernelCatalog.BATCHNORM, "bn_normalize_f32", total, Pointer.to(
                Pointer.to(new int[] {g.n()}), Pointer.to(new int[] {g.channels()}), Pointer.to(new int[] {g.spatial()}),
                Pointer.to(new int[] {g.xSampleStride()}), Pointer.to(new int[] {g.ySampleStride()}),
                Pointer.to(ptr(x, "x")), Pointer.to(channel(gamma, "gamma")), Pointer.to(channel(beta, "beta")),
                Pointer.to(channel(mean, "mean")), Pointer.to(channel(invStd, "inverse std")), Pointer.to(ptr(y, "y"))));
    }

    @Override public void backward(Tensor x, Tensor dY, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                                   Tensor dX, boolean accumulateDx, Tensor dGamma, Tensor dBeta) {
        if (dX == null) {
            // Parameter gradients only: the same sums as with fixed statistics.
            backwardFixed(x, dY, gamma, saveMean, saveInvStd, null, false, dGamma, dBeta);
            return;
        }
        checkX(x, "x");
        checkY(dY, "dY");
        checkX(dX, "dX");
        CudaCheck.cudnn(JCudnn.cudnnBatchNormalizationBackward(device.cudnn(), d.mode(), CudnnDescriptors.ONE,
                accumulateDx ? CudnnDescriptors.ONE : CudnnDescriptors.ZERO, CudnnDescriptors.ONE, CudnnDescriptors.ONE,
                xDesc, ptr(x, "x"), yDesc, ptr(dY, "dY"), xDesc, ptr(dX, "dX"), paramDesc, channel(gamma, "gamma"),
                channel(dGamma, "gamma gradient"), channel(dBeta, "beta gradient"), lastEps,
                channel(saveMean, "saved mean"), channel(saveInvStd, "saved inverse std")),
                "cudnnBatchNormalizationBackward");
    }

    @Override public void backwardFixed(Tensor x, Tensor dY, Tensor gamma, Tensor mean, Tensor invStd,
                                        Tensor dX, boolean accumulateDx, Tensor dGamma, Tensor dBeta) {
        checkX(x, "x");
        checkY(dY, "dY");
        if (dX != null) checkX(dX, "dX");
        int grid = Math.min(g.channels(), CudaKernels.MAX_GRID);
        device.kernels().launch(KernelCatalog.BATCHNORM, "bn_backward_fixed_f32", grid, CudaKernels.BLOCK, Pointer.to(
                Pointer.to(new int[] {g.n()}), Pointer.to(new int[] {g.channels()}), Pointer.to(new int[] {g.spatial()}),
                Pointer.to(new int[] {g.xSampleStride()}), Pointer.to(new int[] {g.ySampleStride()}),
                Pointer.to(ptr(x, "x")), Pointer.to(ptr(dY, "dY")), Pointer.to(channel(gamma, "gamma")),
                Pointer.to(channel(mean, "mean")), Pointer.to(channel(invStd, "inverse std")),
                Pointer.to(dX == null ? new Pointer() : ptr(dX, "dX")), Pointer.to(new int[] {accumulateDx ? 1 : 0}),
                Pointer.to(channel(dGamma, "gamma gradient")), Pointer.to(channel(dBeta, "beta gradient"))));
    }

    private Pointer ptr(Tensor t, String name) {
        return CudaTensors.operand(t, device, "BatchNormCudnn", name);
    }

    private void checkX(Tensor t, String what) {
        if (t.size() < g.xExtent()) throw new IllegalArgumentException("batch norm: " + what + " " + t.shape() + " too small for " + g);
    }

    private void checkY(Tensor t, String what) {
        if (t.size() < g.yExtent()) throw new IllegalArgumentException("batch norm: " + what + " " + t.shape() + " too small for " + g);
    }

    private Pointer channel(Tensor t, String what) {
        if (t.size() != g.channels()) {
            throw new IllegalArgumentException("batch norm: " + what + " " + t.shape() + " for " + g.channels() + " channels");
        }
        return ptr(t, what);
    }
}
