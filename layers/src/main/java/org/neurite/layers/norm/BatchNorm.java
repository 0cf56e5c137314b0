package org.neurite.layers.norm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.layers.Param;
import org.neurite.layers.activation.Activation;
import org.neurite.layers.activation.FusesActivation;
import org.neurite.runtime.Device;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * Batch normalisation over dimension 1 (the channels) of {@code [N, C, ...]}, with PyTorch's
 * semantics exactly: eps 1e-5 and momentum 0.1 by default; in {@link Mode#TRAIN} the output uses
 * the batch mean and biased variance, and the running statistics are updated with the batch mean
 * and the <em>unbiased</em> variance, {@code r = (1 - momentum) r + momentum stat}; in
 * {@link Mode#EVAL} the running statistics normalise. Parameters {@code weight} (gamma, init 1) and
 * {@code bias} (beta, init 0); buffers {@code running_mean} (init 0) and {@code running_var}
 * (init 1), exposed through {@link #buffers()} for checkpoints.
 *
 * <p>Besides the module interface, {@link #forwardPrefix} and {@link #backwardPrefix} normalise
 * the first {@code C} channels of a wider NCHW buffer in place of a copy (DenseNet's block buffer).
 *
 * <p>A ReLU that follows it in a {@link org.neurite.layers.Sequential} is fused into it where the
 * engine can (see {@link FusesActivation}; ResNet's BN - ReLU): the module's forward writes
 * max(y, 0) and its backward applies relu' while reading the gradient. The prefix methods never fuse.
 */
public abstract sealed class BatchNorm extends Module implements Buffers.Owner, FusesActivation permits BatchNorm1d, BatchNorm2d {
    /** PyTorch's defaults. */
    public static final float DEFAULT_EPS = 1e-5f, DEFAULT_MOMENTUM = 0.1f;

    private final int features;
    private final float eps;
    private final float momentum;
    private final Param weight;                 // gamma [C]
    private final Param bias;                   // beta [C]
    private final Tensor runningMean;           // [C]
    private final Tensor runningVar;            // [C]
    private final Tensor saveMean;              // [C] of the last training forward
    private final Tensor saveInvStd;            // [C] 1/sqrt(batch var + eps), or of the running var after an EVAL forward

    private Tensor[] host;                      // 4 x [C] on the CPU: a device run's EVAL statistics (rm, rv, sm, si)
    private BatchNormOp op;                     // planned for the last geometry
    private Device opDevice;                    // ... and device
    private Tensor y;                           // module forward's output, input-shaped
    private Tensor dX;                          // module backward's input gradient
    private Tensor input;                       // the last forward's input
    private Mode lastMode;
    private boolean fusedRelu;                  // a following ReLU was fused into this module
    private boolean reluApplied;                // the last forward applied it (module forward, engine fuses)

    BatchNorm(int features, float eps, float momentum) {
        if (features <= 0) throw new IllegalArgumentException("batch norm: features must be positive, got " + features);
        if (!(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("batch norm: eps must be > 0 and momentum in [0, 1], got " + eps + ", " + momentum);
        }
        this.features = features;
        this.eps = eps;
        this.momentum = momentum;
        Tensor gamma = Tensor.zeros(features);
        gamma.fill(1f);
        this.weight = Param.of("weight", gamma);
        this.bias = Param.of("bias", Tensor.zeros(features));
        this.runningMean = Tensor.zeros(features);
        this.runningVar = Tensor.zeros(features);
        runningVar.fill(1f);
        this.saveMean = Tensor.zeros(features);
        this.saveInvStd = Tensor.zeros(features);
    }

    /** Throws unless {@code s} is an input shape this flavour accepts. */
    abstract void checkRank(Shape s);

    public int features() { return features; }

    public float eps() { return eps; }

    public float momentum() { return momentum; }

    public Param weight() { return weight; }

    public Param bias() { return bias; }

    public Tensor runningMean() { return runningMean; }

    public Tensor runningVar() { return runningVar; }

    @Override public List<Param> params() { return List.of(weight, bias); }

    /** {@code running_mean} and {@code running_var}, PyTorch's buffer names. */
    @Override public Map<String, Tensor> buffers() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("running_mean", runningMean);
        m.put("running_var", runningVar);
        return m;
    }

    @Override public Shape outputShape(Shape inputShape) {
        checkModuleInput(inputShape);
        return inputShape;
    }

    @Override public Tensor forward(Tensor x, Mode mode) {
        checkModuleInput(x.shape());
        if (!Tensor.fits(y, x.shape(), x.device())) y = Tensor.zeros(x.shape(), x.device());
        run(x, y, mode, fusedRelu);
        return y;
    }

    @Override public boolean fuseActivation(Activation activation) {
        if (activation.kind() != Activation.Kind.RELU || fusedRelu) return false;
        fusedRelu = true;
        return true;
    }

    @Override public boolean isFusedOutput(Tensor t) {
        return reluApplied && t == y;
    }

    @Override public Tensor backward(Tensor dY) {
        if (input == null) throw new IllegalStateException(describe() + ": backward before forward");
        if (!dY.shape().equals(input.shape())) {
            throw new IllegalArgumentException(describe() + ": gradient " + dY.shape() + " does not match output " + input.shape());
        }
        if (needsInputGrad && !Tensor.fits(dX, input.shape(), input.device())) dX = Tensor.zeros(input.shape(), input.device());
        runBackward(dY, needsInputGrad ? dX : null, false);
        return needsInputGrad ? dX : null;
    }

    /**
     * Normalises channels {@code [0, C)} of {@code x [N, Cx >= C, ...]} into channels {@code [0, C)}
     * of {@code y [N, Cy >= C, ...]} (same N and trailing dimensions); no copy of either.
     */
    public void forwardPrefix(Tensor x, Tensor y, Mode mode) {
        checkShape(x.shape(), y.shape());
        run(x, y, mode, false);
    }

    /**
     * Backward of the last {@link #forwardPrefix}: adds ({@code +=}) the input gradient into
     * channels {@code [0, C)} of {@code dX} (shaped as that forward's x; null skips it), reading
     * {@code dY} shaped as its y; parameter gradients accumulate.
     */
    public void backwardPrefix(Tensor dY, Tensor dX) {
        if (input == null) throw new IllegalStateException(describe() + ": backward before forward");
        if (dX != null && !dX.shape().equals(input.shape())) {
            throw new IllegalArgumentException(describe() + ": dX " + dX.shape() + " is not shaped as x " + input.shape());
        }
        checkShape(input.shape(), dY.shape());
        runBackward(dY, dX, true);
    }

    /**
     * Writes the last {@link #forwardPrefix}'s output again into {@code y} from its saved statistics,
     * without touching the running ones (memory-efficient DenseNet recomputes it in backward).
     */
    public void recomputePrefix(Tensor y) {
        if (input == null) throw new IllegalStateException(describe() + ": recompute before forward");
        checkShape(input.shape(), y.shape());
        op.normalize(input, weight.value(), bias.value(), saveMean, saveInvStd, y);
    }

    private void run(Tensor x, Tensor out, Mode mode, boolean relu) {
        plan(x, out.shape());
        reluApplied = relu && op.fusesRelu();
        if (mode == Mode.TRAIN) {
            op.forwardTraining(x, weight.value(), bias.value(), momentum, eps, runningMean, runningVar, saveMean, saveInvStd, out,
                    reluApplied);
        } else {
            // Keep the statistics used, so backward and recompute see exactly them.
            if (x.device().isCpu()) {
                evalStats(runningMean.data(), runningVar.data(), saveMean.data(), saveInvStd.data());
            } else {
                evalStatsOnHost();
            }
            op.forwardInference(x, weight.value(), bias.value(), runningMean, runningVar, eps, out, reluApplied);
        }
        input = x;
        lastMode = mode;
    }

    private void evalStats(float[] rm, float[] rv, float[] sm, float[] si) {
        for (int c = 0; c < features; c++) {
            sm[c] = rm[c];
            si[c] = (float) (1.0 / Math.sqrt(rv[c] + (double) eps));
        }
    }

    /**
     * The EVAL statistics of a device run: no kernel computes 1/sqrt(var + eps), so the running
     * statistics (2C floats) go to the host and back, with the CPU's exact rounding.
     */
    private void evalStatsOnHost() {
        if (host == null) host = new Tensor[] {Tensor.zeros(features), Tensor.zeros(features), Tensor.zeros(features), Tensor.zeros(features)};
        host[0].copyFrom(runningMean);
        host[1].copyFrom(runningVar);
        evalStats(host[0].data(), host[1].data(), host[2].data(), host[3].data());
        saveMean.copyFrom(host[2]);
        saveInvStd.copyFrom(host[3]);
    }

    private void runBackward(Tensor dY, Tensor dXOut, boolean accumulate) {
        op.backward(input, reluApplied ? y : null, dY, weight.value(), saveMean, saveInvStd, dXOut, accumulate,
                weight.grad(), bias.grad(), lastMode == Mode.TRAIN);
    }

    private void plan(Tensor x, Shape ys) {
        Shape xs = x.shape();
        int n = xs.dim(0), spatial = xs.size() / (n * xs.dim(1));
        BatchNormGeometry g = new BatchNormGeometry(n, features, spatial, xs.stride0(), ys.stride0());
        if (op == null || !op.geometry().equals(g) || opDevice != x.device()) {
            // The saved statistics are the module's own: they follow the input's device.
            saveMean.moveTo(x.device());
            saveInvStd.moveTo(x.device());
            op = BatchNormOp.plan(g, x.device());
            opDevice = x.device();
        }
    }

    private void checkModuleInput(Shape s) {
        checkRank(s);
        if (s.dim(1) != features) throw new IllegalArgumentException(describe() + ": input " + s + " has " + s.dim(1) + " channels");
    }

    /** x and y agree in every dimension but 1, where both hold at least C channels. */
    private void checkShape(Shape xs, Shape ys) {
        checkRank(xs);
        boolean ok = xs.rank() == ys.rank() && xs.dim(1) >= features && ys.dim(1) >= features && xs.dim(0) > 0;
        for (int a = 0; ok && a < xs.rank(); a++) ok = a == 1 || xs.dim(a) == ys.dim(a);
        if (!ok) throw new IllegalArgumentException(describe() + ": input " + xs + " / output " + ys + " do not fit " + features + " channels");
    }

    /** Bytes of the tensors this module allocated (output, input gradient, statistics). */
    public long activationBytes() {
        long floats = 4L * features + (y == null ? 0 : y.size()) + (dX == null ? 0 : dX.size());
        return 4 * floats;
    }

    @Override public String describe() {
        String s = typeName() + "(" + features;
        if (eps != DEFAULT_EPS) s += ", eps " + eps;
        if (momentum != DEFAULT_MOMENTUM) s += ", momentum " + momentum;
        return s + ")";
    }
}
