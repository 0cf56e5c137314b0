package org.neurite.layers.activation;

import java.util.Arrays;
import jcuda.Pointer;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnActivationDescriptor;
import jcuda.jcudnn.cudnnTensorDescriptor;
import org.neurite.layers.cuda.ActivationDescriptors;
import org.neurite.layers.cuda.CudnnDescriptors;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.cuda.CudaCheck;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.CudaTensors;
import org.neurite.runtime.cuda.KernelCatalog;

/**
 * The cuDNN engine of {@link ActivationOp}: {@code cudnnActivationForward/Backward} for ReLU,
 * sigmoid, tanh and ELU, the engine's own PTX kernels for leaky ReLU (cuDNN has no such mode), and
 * {@code cudnnSoftmaxForward/Backward} (accurate, channel mode) for softmax. One instance per
 * module, as the contract says: it keeps one tensor descriptor per use, re-set (host-side only)
 * when the shape changes, and one activation descriptor, re-set when the kind or alpha changes.
 *
 * <pre>{@code
 * ActivationOp op = new ActivationCudnn((CudaDevice) x.device());
 * }</pre>
 */
public final class ActivationCudnn implements ActivationOp {
    private final CudaDevice device;
    private final cudnnTensorDescriptor desc, softmaxDesc;
    private final cudnnActivationDescriptor act;
    private int[] dims = new int[0], softmaxDims = new int[0];
    private Activation.Kind actKind;
    private float actAlpha;

    public ActivationCudnn(CudaDevice device) {
        this.device = device;
        CudnnDescriptors descs = CudnnDescriptors.ownedBy(this);
        desc = descs.tensor(new int[] {1, 1, 1, 1});
        softmaxDesc = descs.tensor(new int[] {1, 1, 1, 1});
        act = descs.activation();
    }

    @Override public void forward(Activation.Kind kind, float alpha, Tensor x, Tensor y) {
        sameSize(x, y, "y");
        int n = x.size();
        if (n == 0) return;
        if (kind == Activation.Kind.LEAKY_RELU) {
            device.kernels().launch(KernelCatalog.ELEMENTWISE, "leaky_relu_forward_f32", n, Pointer.to(
                    Pointer.to(new int[] {n}), Pointer.to(new float[] {alpha}), Pointer.to(ptr(x, "x")), Pointer.to(ptr(y, "y"))));
            return;
        }
        describe(x);
        activation(kind, alpha);
        CudaCheck.cudnn(JCudnn.cudnnActivationForward(device.cudnn(), act, CudnnDescriptors.ONE, desc, ptr(x, "x"),
                CudnnDescriptors.ZERO, desc, ptr(y, "y")), "cudnnActivationForward");
    }

    @Override public void backward(Activation.Kind kind, float alpha, Tensor x, Tensor y, Tensor dY, Tensor dX) {
        sameSize(x, y, "y");
        sameSize(x, dY, "dY");
        sameSize(x, dX, "dX");
        int n = x.size();
        if (n == 0) return;
        if (kind == Activation.Kind.LEAKY_RELU) {
            device.kernels().launch(KernelCatalog.ELEMENTWISE, "leaky_relu_backward_f32", n, Pointer.to(
                    Pointer.to(new int[] {n}), Pointer.to(new float[] {alpha}), Pointer.to(ptr(x, "x")),
                    Pointer.to(ptr(dY, "dY")), Pointer.to(ptr(dX, "dX"))));
            return;
        }
        describe(x);
        activation(kind, alpha);
        CudaCheck.cudnn(JCudnn.cudnnActivationBackward(device.cudnn(), act, CudnnDescriptors.ONE, desc, ptr(y, "y"),
                desc, ptr(dY, "dY"), desc, ptr(x, "x"), CudnnDescriptors.ZERO, desc, ptr(dX, "dX")), "cudnnActivationBackward");
    }

    @Override public void softmaxForward(Tensor x, Tensor y, int classes) {
        sameSize(x, y, "y");
        if (x.size() == 0) return;
        describeSoftmax(x.size(), classes);
        CudaCheck.cudnn(JCudnn.cudnnSoftmaxForward(device.cudnn(), ActivationDescriptors.SOFTMAX_ACCURATE,
                ActivationDescriptors.SOFTMAX_MODE_CHANNEL, CudnnDescriptors.ONE, softmaxDesc, ptr(x, "x"),
                CudnnDescriptors.ZERO, softmaxDesc, ptr(y, "y")), "cudnnSoftmaxForward");
    }

    @Override public void softmaxBackward(Tensor y, Tensor dY, Tensor dX, int classes) {
        sameSize(y, dY, "dY");
        sameSize(y, dX, "dX");
        if (y.size() == 0) return;
        describeSoftmax(y.size(), classes);
        CudaCheck.cudnn(JCudnn.cudnnSoftmaxBackward(device.cudnn(), ActivationDescriptors.SOFTMAX_ACCURATE,
                ActivationDescriptors.SOFTMAX_MODE_CHANNEL, CudnnDescriptors.ONE, softmaxDesc, ptr(y, "y"),
                softmaxDesc, ptr(dY, "dY"), CudnnDescriptors.ZERO, softmaxDesc, ptr(dX, "dX")), "cudnnSoftmaxBackward");
    }

    private void describe(Tensor x) {
        int[] d = ActivationDescriptors.elementwiseDims(x.shape());
        if (!Arrays.equals(d, dims)) {
            CudnnDescriptors.setTensor(desc, d);
            dims = d;
        }
    }

    private void describeSoftmax(int size, int classes) {
        int[] d = ActivationDescriptors.softmaxDims(size, classes);
        if (!Arrays.equals(d, softmaxDims)) {
            CudnnDescriptors.setTensor(softmaxDesc, d);
            softmaxDims = d;
        }
    }

    private void activation(Activation.Kind kind, float alpha) {
        if (kind != actKind || alpha != actAlpha) {
            CudnnDescriptors.setActivation(act, ActivationDescriptors.mode(kind), ActivationDescriptors.coef(kind, alpha));
            actKind = kind;
            actAlpha = alpha;
        }
    }

    private Pointer ptr(Tensor t, String name) {
        return CudaTensors.operand(t, device, "ActivationCudnn", name);
    }

    private static void sameSize(Tensor a, Tensor b, String name) {
        if (a.size() != b.size()) throw new IllegalArgumentException("ActivationCudnn: " + name + " " + b.shape() + " does not match " + a.shape());
    }
}
