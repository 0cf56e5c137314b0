package org.neurite.layers.rnn;

import java.util.ArrayList;
import java.util.List;
import jcuda.Pointer;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnDropoutDescriptor;
import jcuda.jcudnn.cudnnHandle;
import jcuda.jcudnn.cudnnRNNDataDescriptor;
import jcuda.jcudnn.cudnnRNNDescriptor;
import jcuda.jcudnn.cudnnTensorDescriptor;
import jcuda.runtime.JCuda;
import jcuda.runtime.cudaMemcpyKind;
import org.neurite.layers.cuda.CudnnDescriptors;
import org.neurite.layers.cuda.CudnnObjects;
import org.neurite.layers.cuda.DeviceWorkspace;
import org.neurite.layers.cuda.RnnDescriptors;
import org.neurite.layers.cuda.RnnSpaces;
import org.neurite.layers.cuda.RnnWeightMap;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.cuda.CudaCheck;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.CudaTensors;
import org.neurite.runtime.cuda.DeviceBlock;
import org.neurite.runtime.cuda.DevicePointer;

/**
 * The cuDNN engine of {@link RnnOp}, on the v8 RNN API only (cuDNN 9 removed the older one).
 *
 * <p>Planned once: {@code cudnnSetDropoutDescriptor} (no states when dropout is 0),
 * {@code cudnnSetRNNDescriptor_v8} ({@link RnnDescriptors}), {@code cudnnGetRNNWeightSpaceSize}
 * (must be the flat buffer) and {@code cudnnGetRNNWeightParams} for every pseudo-layer and linear
 * layer, checked against the CPU engine's {@link RnnLayout} ({@link RnnWeightMap}): the same flat
 * weights run on both devices, or the op refuses to plan. Per {@code (T, N)}:
 * {@code cudnnSetRNNDataDescriptor} ({@code SEQ_MAJOR_UNPACKED}, every sequence T long), the state
 * descriptors {@code [L*D, N, H]}, the device copy of the sequence lengths, and
 * {@code cudnnGetRNNTempSpaceSizes} ({@link RnnSpaces}: the device's shared workspace, the op's own
 * reserve space). Per step: {@code cudnnRNNForward}, {@code cudnnRNNBackwardData_v8},
 * {@code cudnnRNNBackwardWeights_v8} with {@code CUDNN_WGRAD_MODE_ADD} (dw accumulates).
 *
 * <p>Dropout between layers uses cuDNN's generator (seeded from the module's Rng), so with dropout
 * the CUDA and CPU engines agree only in distribution; without it they compute the same function.
 *
 * <pre>{@code
 * RnnOp op = new RnnCudnn(layout, dropout, rng, (CudaDevice) x.device());
 * }</pre>
 */
public final class RnnCudnn implements RnnOp {
    private final RnnLayout lay;
    private final CudaDevice device;
    private final CudnnObjects objects;
    private final cudnnRNNDescriptor rnn;
    private final cudnnRNNDataDescriptor xDesc, yDesc;
    private final cudnnTensorDescriptor hDesc;
    private final DeviceWorkspace workspace;
    private final long weightBytes;

    private int steps = -1, batch = -1;
    private RnnSpaces spaces;
    private DeviceBlock reserve, seqLengths, dxScratch;
    private Pointer reservePtr, seqLengthsPtr, dxScratchPtr;
    // the last training forward's operands, which the backward calls read again
    private Tensor fx, fhx, fcx, fy;
    private boolean haveTraining, haveBackwardData;

    public RnnCudnn(RnnLayout layout, float dropout, Rng rng, CudaDevice device) {
        this.lay = layout;
        this.device = device;
        this.objects = CudnnObjects.ownedBy(this);
        cudnnHandle h = device.cudnn();
        cudnnDropoutDescriptor drop = objects.dropout();
        if (dropout > 0) {
            long[] stateBytes = {0};
            CudaCheck.cudnn(JCudnn.cudnnDropoutGetStatesSize(h, stateBytes), "cudnnDropoutGetStatesSize");
            DeviceBlock states = objects.block(device.allocator(), stateBytes[0]);
            CudaCheck.cudnn(JCudnn.cudnnSetDropoutDescriptor(drop, h, dropout, CudnnObjects.pointer(states), stateBytes[0], rng.nextLong()),
                    "cudnnSetDropoutDescriptor");
        } else {
            CudaCheck.cudnn(JCudnn.cudnnSetDropoutDescriptor(drop, h, 0f, null, 0, 0), "cudnnSetDropoutDescriptor");
        }
        RnnDescriptors d = RnnDescriptors.of(layout, device.cudnnOptions().allowTf32());
        rnn = objects.rnn();
        CudaCheck.cudnn(JCudnn.cudnnSetRNNDescriptor_v8(rnn, d.algo(), d.cellMode(), d.biasMode(), d.dirMode(), d.inputMode(),
                d.dataType(), d.mathPrec(), d.mathType(), d.inputSize(), d.hiddenSize(), d.projSize(), d.numLayers(), drop, d.auxFlags()),
                "cudnnSetRNNDescriptor_v8");
        long[] w = {0};
        CudaCheck.cudnn(JCudnn.cudnnGetRNNWeightSpaceSize(h, rnn, w), "cudnnGetRNNWeightSpaceSize");
        RnnSpaces.checkWeightSpace(layout, w[0]);
        weightBytes = w[0];
        checkWeightLayout();
        xDesc = objects.rnnData();
        yDesc = objects.rnnData();
        hDesc = objects.tensor(new int[] {1, 1, 1});
        workspace = new DeviceWorkspace(device);
    }

    /** Asks cuDNN where each matrix and bias sits in a scratch weight space; throws on any difference from the layout. */
    private void checkWeightLayout() {
        DeviceBlock scratch = device.allocator().allocate(weightBytes);
        cudnnTensorDescriptor mDesc = new cudnnTensorDescriptor(), bDesc = new cudnnTensorDescriptor();
        CudaCheck.cudnn(JCudnn.cudnnCreateTensorDescriptor(mDesc), "cudnnCreateTensorDescriptor");
        CudaCheck.cudnn(JCudnn.cudnnCreateTensorDescriptor(bDesc), "cudnnCreateTensorDescriptor");
        try {
            long base = scratch.address();
            List<RnnWeightMap.Entry> got = new ArrayList<>();
            int pseudo = lay.numLayers() * lay.directions();
            for (int p = 0; p < pseudo; p++) {
                for (int id = 0; id < RnnWeightMap.linLayers(lay); id++) {
                    Pointer m = new Pointer(), b = new Pointer();
                    CudaCheck.cudnn(JCudnn.cudnnGetRNNWeightParams(device.cudnn(), rnn, p, weightBytes, DevicePointer.at(base), id, mDesc, m, bDesc, b),
                            "cudnnGetRNNWeightParams(" + p + ", " + id + ")");
                    got.add(new RnnWeightMap.Entry(p, id, (DevicePointer.addressOf(m) - base) / 4, dims(mDesc),
                            (DevicePointer.addressOf(b) - base) / 4, dims(bDesc)));
                }
            }
            List<String> diff = RnnWeightMap.mismatches(lay, got);
            if (!diff.isEmpty()) {
                throw new IllegalStateException("cuDNN's RNN weight layout differs from the flat buffer's (" + lay.cell() + "): "
                        + String.join("; ", diff.subList(0, Math.min(4, diff.size()))));
            }
        } finally {
            JCudnn.cudnnDestroyTensorDescriptor(mDesc);
            JCudnn.cudnnDestroyTensorDescriptor(bDesc);
            device.allocator().free(scratch);
        }
    }

    private static int[] dims(cudnnTensorDescriptor t) {
        int[] type = {0}, nb = {0}, dims = new int[8], strides = new int[8];
        CudaCheck.cudnn(JCudnn.cudnnGetTensorNdDescriptor(t, 8, type, nb, dims, strides), "cudnnGetTensorNdDescriptor");
        return java.util.Arrays.copyOf(dims, nb[0]);
    }

    /** Re-describes the data and states for {@code (t, n)} and sizes the spaces; nothing when unchanged. */
    private void plan(int t, int n) {
        if (t == steps && n == batch) return;
        int[] lengths = RnnDescriptors.seqLengths(t, n);
        Pointer pad = Pointer.to(new float[] {0f});
        CudaCheck.cudnn(JCudnn.cudnnSetRNNDataDescriptor(xDesc, CudnnDescriptors.FLOAT, RnnDescriptors.SEQ_MAJOR_UNPACKED, t, n,
                lay.layerInputSize(0), lengths, pad), "cudnnSetRNNDataDescriptor(x)");
        CudaCheck.cudnn(JCudnn.cudnnSetRNNDataDescriptor(yDesc, CudnnDescriptors.FLOAT, RnnDescriptors.SEQ_MAJOR_UNPACKED, t, n,
                lay.directions() * lay.hiddenSize(), lengths, pad), "cudnnSetRNNDataDescriptor(y)");
        CudnnDescriptors.setTensor(hDesc, RnnDescriptors.stateDims(lay, n));
        long[] trainWork = {0}, trainReserve = {0}, inferWork = {0}, inferReserve = {0};
        CudaCheck.cudnn(JCudnn.cudnnGetRNNTempSpaceSizes(device.cudnn(), rnn, RnnDescriptors.FWD_TRAINING, xDesc, trainWork, trainReserve),
                "cudnnGetRNNTempSpaceSizes(training)");
        CudaCheck.cudnn(JCudnn.cudnnGetRNNTempSpaceSizes(device.cudnn(), rnn, RnnDescriptors.FWD_INFERENCE, xDesc, inferWork, inferReserve),
                "cudnnGetRNNTempSpaceSizes(inference)");
        spaces = RnnSpaces.of(lay, weightBytes, trainWork[0], trainReserve[0], inferWork[0]);
        if (spaces.needsNewReserve(reserve == null ? 0 : reserve.size())) {
            if (reserve != null) objects.free(device.allocator(), reserve);
            reserve = objects.block(device.allocator(), spaces.reserveBytes());
            reservePtr = CudnnObjects.pointer(reserve);
        }
        if (n != batch) {
            // cuDNN reads the lengths on the device, asynchronously: a copy owned by the op
            if (seqLengths != null) objects.free(device.allocator(), seqLengths);
            seqLengths = objects.block(device.allocator(), 4L * n);
            seqLengthsPtr = CudnnObjects.pointer(seqLengths);
            CudaCheck.cuda(JCuda.cudaMemcpy(seqLengthsPtr, Pointer.to(lengths), 4L * n, cudaMemcpyKind.cudaMemcpyHostToDevice),
                    "cudaMemcpy(sequence lengths)");
        }
        steps = t;
        batch = n;
        haveTraining = false;
    }

    @Override public void forward(Tensor x, Tensor hx, Tensor cx, Tensor w, Tensor y, Tensor hy, Tensor cy, boolean training) {
        int t = x.shape().dim(0), n = x.shape().dim(1);
        plan(t, n);
        check(x, (long) t * n * lay.layerInputSize(0), "x");
        check(y, (long) t * n * lay.directions() * lay.hiddenSize(), "y");
        check(w, lay.size(), "w");
        boolean lstm = lay.cell().hasCellState();
        Tensor c0 = lstm ? cx : null, c1 = lstm ? cy : null;
        CudaCheck.cudnn(JCudnn.cudnnRNNForward(device.cudnn(), rnn, training ? RnnDescriptors.FWD_TRAINING : RnnDescriptors.FWD_INFERENCE,
                seqLengthsPtr, xDesc, ptr(x, "x"), yDesc, ptr(y, "y"), hDesc, state(hx, "hx"), state(hy, "hy"),
                hDesc, state(c0, "cx"), state(c1, "cy"), weightBytes, ptr(w, "w"),
                spaces.workBytes(), workspace.pointer(spaces.workBytes()),
                training ? spaces.reserveBytes() : 0, training ? reservePtr : null), "cudnnRNNForward");
        if (training) {
            fx = x;
            fhx = hx;
            fcx = c0;
            fy = y;
        }
        haveTraining = training;
        haveBackwardData = false;
    }

    @Override public void backwardData(Tensor dy, Tensor dhy, Tensor dcy, Tensor w, Tensor dx, Tensor dhx, Tensor dcx) {
        if (!haveTraining) throw new IllegalStateException("RnnCudnn: backward without a training forward of this shape");
        check(dy, fy.size(), "dy");
        boolean lstm = lay.cell().hasCellState();
        Pointer dxPtr;
        if (dx != null) {
            check(dx, fx.size(), "dx");
            dxPtr = ptr(dx, "dx");
        } else {
            // cuDNN always writes dx: a scratch buffer when the input needs no gradient
            if (dxScratch == null || dxScratch.size() < 4L * fx.size()) {
                if (dxScratch != null) objects.free(device.allocator(), dxScratch);
                dxScratch = objects.block(device.allocator(), 4L * fx.size());
                dxScratchPtr = CudnnObjects.pointer(dxScratch);
            }
            dxPtr = dxScratchPtr;
        }
        CudaCheck.cudnn(JCudnn.cudnnRNNBackwardData_v8(device.cudnn(), rnn, seqLengthsPtr, yDesc, ptr(fy, "y"), ptr(dy, "dy"),
                xDesc, dxPtr, hDesc, state(fhx, "hx"), state(dhy, "dhy"), state(dhx, "dhx"),
                hDesc, state(fcx, "cx"), state(lstm ? dcy : null, "dcy"), state(lstm ? dcx : null, "dcx"),
                weightBytes, ptr(w, "w"), spaces.workBytes(), workspace.pointer(spaces.workBytes()), spaces.reserveBytes(), reservePtr),
                "cudnnRNNBackwardData_v8");
        haveBackwardData = true;
    }

    @Override public void backwardWeights(Tensor x, Tensor hx, Tensor dw) {
        if (!haveBackwardData) throw new IllegalStateException("RnnCudnn: backwardWeights before backwardData");
        if (x != fx) throw new IllegalArgumentException("RnnCudnn: backwardWeights must see the training forward's x");
        check(dw, lay.size(), "dw");
        CudaCheck.cudnn(JCudnn.cudnnRNNBackwardWeights_v8(device.cudnn(), rnn, RnnDescriptors.WGRAD_ADD, seqLengthsPtr,
                xDesc, ptr(x, "x"), hDesc, state(hx, "hx"), yDesc, ptr(fy, "y"), weightBytes, ptr(dw, "dw"),
                spaces.workBytes(), workspace.pointer(spaces.workBytes()), spaces.reserveBytes(), reservePtr),
                "cudnnRNNBackwardWeights_v8");
    }

    /** The planned spaces (null before the first forward). */
    public RnnSpaces spaces() { return spaces; }

    private Pointer ptr(Tensor t, String name) {
        return CudaTensors.operand(t, device, "RnnCudnn", name);
    }

    /** A state's pointer, or null (cuDNN: zero initial state / no final-state gradient / not wanted). */
    private Pointer state(Tensor t, String name) {
        if (t == null) return null;
        check(t, (long) lay.numLayers() * lay.directions() * batch * lay.hiddenSize(), name);
        return ptr(t, name);
    }

    private static void check(Tensor t, long size, String what) {
        if (t.size() != size) throw new IllegalArgumentException("RnnCudnn: " + what + " " + t.shape() + " should hold " + size + " floats");
    }
}
