package org.neurite.layers.conv;

import jcuda.Pointer;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnConvolutionDescriptor;
import jcuda.jcudnn.cudnnFilterDescriptor;
import jcuda.jcudnn.cudnnHandle;
import jcuda.jcudnn.cudnnTensorDescriptor;
import org.neurite.layers.cuda.AlgoPerf;
import org.neurite.layers.cuda.ConvAlgorithms;
import org.neurite.layers.cuda.ConvDescriptors;
import org.neurite.layers.cuda.ConvPass;
import org.neurite.layers.cuda.CudnnConvAlgos;
import org.neurite.layers.cuda.CudnnDescriptors;
import org.neurite.layers.cuda.DeviceWorkspace;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.cuda.CudaCheck;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.CudaTensors;
import org.neurite.runtime.cuda.CudnnOptions;

/**
 * The cuDNN engine of {@link ConvOp}: tensor, filter and convolution descriptors from the geometry
 * ({@link ConvDescriptors}: stride, padding, dilation, groups), the three algorithms chosen once
 * per shape and device options ({@link ConvAlgorithms}, cached per device), the device's one
 * workspace grown to what they need, and the device's cuDNN handle.
 *
 * <pre>{@code
 * ConvOp op = new ConvCudnn(ConvGeometry.of(conv.config(), x.shape()), (CudaDevice) x.device());
 * }</pre>
 *
 * <p>Calls: {@code cudnnConvolutionForward} (+ {@code cudnnAddTensor} for the bias),
 * {@code cudnnConvolutionBackwardData} (beta 0: written), {@code cudnnConvolutionBackwardFilter}
 * and {@code cudnnConvolutionBackwardBias} (beta 1: accumulated, the module rule).
 */
public final class ConvCudnn implements ConvOp {
    private final ConvGeometry g;
    private final CudaDevice device;
    private final cudnnTensorDescriptor xDesc, yDesc, biasDesc;
    private final cudnnFilterDescriptor wDesc;
    private final cudnnConvolutionDescriptor convDesc;
    private final ConvAlgorithms.Choice algos;
    private final DeviceWorkspace workspace;
    private int currentMath = -1;

    /** Plans {@code g} on {@code device} with the device's {@link CudnnOptions}. */
    public ConvCudnn(ConvGeometry g, CudaDevice device) {
        this.g = g;
        this.device = device;
        CudnnOptions options = device.cudnnOptions();
        ConvDescriptors d = ConvDescriptors.of(g);
        CudnnDescriptors descs = CudnnDescriptors.ownedBy(this);
        xDesc = descs.tensor(d.xDims());
        yDesc = descs.tensor(d.yDims());
        biasDesc = descs.tensor(d.biasDims());
        wDesc = descs.filter(d.wDims());
        // Without TF32, FMA math keeps cuDNN to plain float32 arithmetic, matching the CPU engine.
        convDesc = descs.convolution(d, options.allowTf32() ? AlgoPerf.TENSOR_OP_MATH : AlgoPerf.FMA_MATH);
        algos = CudnnConvAlgos.choose(device, g, options, xDesc, wDesc, convDesc, yDesc);
        workspace = new DeviceWorkspace(device);
    }

    @Override public ConvGeometry geometry() { return g; }

    /** The algorithms chosen for this shape. */
    public ConvAlgorithms.Choice algorithms() { return algos; }

    @Override public void forward(Tensor x, Tensor w, Tensor b, Tensor y) {
        check(x, g.inputShape().size(), "x");
        check(w, g.filterShape().size(), "w");
        check(y, g.outputShape().size(), "y");
        AlgoPerf a = use(ConvPass.FORWARD);
        cudnnHandle h = device.cudnn();
        CudaCheck.cudnn(JCudnn.cudnnConvolutionForward(h, CudnnDescriptors.ONE, xDesc, ptr(x, "x"), wDesc, ptr(w, "w"), convDesc,
                a.algo(), workspace.pointer(a.memory()), a.memory(), CudnnDescriptors.ZERO, yDesc, ptr(y, "y")),
                "cudnnConvolutionForward");
        if (b != null) {
            check(b, g.k(), "b");
            CudaCheck.cudnn(JCudnn.cudnnAddTensor(h, CudnnDescriptors.ONE, biasDesc, ptr(b, "b"), CudnnDescriptors.ONE, yDesc, ptr(y, "y")),
                    "cudnnAddTensor");
        }
    }

    @Override public void backwardData(Tensor dY, Tensor w, Tensor dX) {
        check(dY, g.outputShape().size(), "dY");
        check(w, g.filterShape().size(), "w");
        check(dX, g.inputShape().size(), "dX");
        AlgoPerf a = use(ConvPass.BACKWARD_DATA);
        CudaCheck.cudnn(JCudnn.cudnnConvolutionBackwardData(device.cudnn(), CudnnDescriptors.ONE, wDesc, ptr(w, "w"), yDesc, ptr(dY, "dY"),
                convDesc, a.algo(), workspace.pointer(a.memory()), a.memory(), CudnnDescriptors.ZERO, xDesc, ptr(dX, "dX")),
                "cudnnConvolutionBackwardData");
    }

    @Override public void backwardFilter(Tensor x, Tensor dY, Tensor dW) {
        check(x, g.inputShape().size(), "x");
        check(dY, g.outputShape().size(), "dY");
        check(dW, g.filterShape().size(), "dW");
        AlgoPerf a = use(ConvPass.BACKWARD_FILTER);
        CudaCheck.cudnn(JCudnn.cudnnConvolutionBackwardFilter(device.cudnn(), CudnnDescriptors.ONE, xDesc, ptr(x, "x"), yDesc, ptr(dY, "dY"),
                convDesc, a.algo(), workspace.pointer(a.memory()), a.memory(), CudnnDescriptors.ONE, wDesc, ptr(dW, "dW")),
                "cudnnConvolutionBackwardFilter");
    }

    @Override public void backwardBias(Tensor dY, Tensor dB) {
        check(dY, g.outputShape().size(), "dY");
        check(dB, g.k(), "dB");
        CudaCheck.cudnn(JCudnn.cudnnConvolutionBackwardBias(device.cudnn(), CudnnDescriptors.ONE, yDesc, ptr(dY, "dY"),
                CudnnDescriptors.ONE, biasDesc, ptr(dB, "dB")), "cudnnConvolutionBackwardBias");
    }

    /** The pass's algorithm, with the descriptor's math type set to the one it was chosen with. */
    private AlgoPerf use(ConvPass pass) {
        AlgoPerf a = algos.of(pass);
        if (a.mathType() != currentMath) {
            CudaCheck.cudnn(JCudnn.cudnnSetConvolutionMathType(convDesc, a.mathType()), "cudnnSetConvolutionMathType");
            currentMath = a.mathType();
        }
        return a;
    }

    private Pointer ptr(Tensor t, String name) {
        return CudaTensors.operand(t, device, "ConvCudnn", name);
    }

    private void check(Tensor t, int size, String what) {
        if (t.size() != size) throw new IllegalArgumentException("ConvCudnn planned for " + what + " of " + size + " floats, got " + t.shape());
    }
}
