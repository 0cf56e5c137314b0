package org.neurite.layers.cuda;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import jcuda.Pointer;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnActivationDescriptor;
import jcuda.jcudnn.cudnnConvolutionDescriptor;
import jcuda.jcudnn.cudnnFilterDescriptor;
import jcuda.jcudnn.cudnnPoolingDescriptor;
import jcuda.jcudnn.cudnnTensorDescriptor;
import org.neurite.runtime.cuda.CudaCheck;

/**
 * The cuDNN descriptors of one engine instance: created and set here with every return code
 * checked, destroyed when the engine becomes unreachable (the op contracts have no close; a
 * {@link Cleaner} frees these small host-side objects). Also the host scalars cuDNN's alpha and
 * beta point at.
 */
public final class CudnnDescriptors {
    /** {@code CUDNN_DATA_FLOAT}. */
    public static final int FLOAT = 0;
    /** {@code CUDNN_TENSOR_NCHW}. */
    public static final int NCHW = 0;
    /** Host pointer to 1f (alpha, or beta when accumulating). */
    public static final Pointer ONE = Pointer.to(new float[] {1f});
    /** Host pointer to 0f (beta when overwriting). */
    public static final Pointer ZERO = Pointer.to(new float[] {0f});

    private static final Cleaner CLEANER = Cleaner.create();

    /** What the cleaner destroys; holds no reference to the engine. */
    private static final class Owned implements Runnable {
        private final List<Object> all = new ArrayList<>();

        @Override public synchronized void run() {
            for (Object d : all) {
                // Return codes are ignored: this runs on the cleaner thread, where nobody could act on them.
                if (d instanceof cudnnTensorDescriptor t) JCudnn.cudnnDestroyTensorDescriptor(t);
                else if (d instanceof cudnnFilterDescriptor f) JCudnn.cudnnDestroyFilterDescriptor(f);
                else if (d instanceof cudnnConvolutionDescriptor c) JCudnn.cudnnDestroyConvolutionDescriptor(c);
                else if (d instanceof cudnnPoolingDescriptor p) JCudnn.cudnnDestroyPoolingDescriptor(p);
                else if (d instanceof cudnnActivationDescriptor a) JCudnn.cudnnDestroyActivationDescriptor(a);
            }
            all.clear();
        }

        synchronized <T> T add(T d) {
            all.add(d);
            return d;
        }
    }

    private final Owned owned = new Owned();

    private CudnnDescriptors() { }

    /** Descriptors destroyed once {@code owner} is unreachable. */
    public static CudnnDescriptors ownedBy(Object owner) {
        CudnnDescriptors d = new CudnnDescriptors();
        CLEANER.register(owner, d.owned);
        return d;
    }

    /** A packed NCHW float tensor descriptor of {@code dims} (4 of them). */
    public cudnnTensorDescriptor tensor(int[] dims) {
        cudnnTensorDescriptor t = new cudnnTensorDescriptor();
        CudaCheck.cudnn(JCudnn.cudnnCreateTensorDescriptor(t), "cudnnCreateTensorDescriptor");
        owned.add(t);
        setTensor(t, dims);
        return t;
    }

    /** Re-describes {@code t} as a packed tensor of {@code dims} (host-side, no allocation on the device). */
    public static void setTensor(cudnnTensorDescriptor t, int[] dims) {
        CudaCheck.cudnn(JCudnn.cudnnSetTensorNdDescriptor(t, FLOAT, dims.length, dims, ConvDescriptors.packedStrides(dims)),
                "cudnnSetTensorNdDescriptor");
    }

    /** A float NCHW filter descriptor {@code [k, c/groups, r, s]}. */
    public cudnnFilterDescriptor filter(int[] dims) {
        cudnnFilterDescriptor f = new cudnnFilterDescriptor();
        CudaCheck.cudnn(JCudnn.cudnnCreateFilterDescriptor(f), "cudnnCreateFilterDescriptor");
        owned.add(f);
        CudaCheck.cudnn(JCudnn.cudnnSetFilterNdDescriptor(f, FLOAT, NCHW, dims.length, dims), "cudnnSetFilterNdDescriptor");
        return f;
    }

    /** A 2-d convolution descriptor: padding, stride, dilation, mode, float compute, groups, math type. */
    public cudnnConvolutionDescriptor convolution(ConvDescriptors d, int mathType) {
        cudnnConvolutionDescriptor c = new cudnnConvolutionDescriptor();
        CudaCheck.cudnn(JCudnn.cudnnCreateConvolutionDescriptor(c), "cudnnCreateConvolutionDescriptor");
        owned.add(c);
        CudaCheck.cudnn(JCudnn.cudnnSetConvolutionNdDescriptor(c, 2, d.pad(), d.stride(), d.dilation(), d.mode(), FLOAT),
                "cudnnSetConvolutionNdDescriptor");
        CudaCheck.cudnn(JCudnn.cudnnSetConvolutionGroupCount(c, d.groups()), "cudnnSetConvolutionGroupCount");
        CudaCheck.cudnn(JCudnn.cudnnSetConvolutionMathType(c, mathType), "cudnnSetConvolutionMathType");
        return c;
    }

    /** A 2-d pooling descriptor. */
    public cudnnPoolingDescriptor pooling(PoolDescriptors d) {
        cudnnPoolingDescriptor p = new cudnnPoolingDescriptor();
        CudaCheck.cudnn(JCudnn.cudnnCreatePoolingDescriptor(p), "cudnnCreatePoolingDescriptor");
        owned.add(p);
        CudaCheck.cudnn(JCudnn.cudnnSetPoolingNdDescriptor(p, d.mode(), d.nanProp(), 2, d.window(), d.pad(), d.stride()),
                "cudnnSetPoolingNdDescriptor");
        return p;
    }

    /** An activation descriptor, set later with {@link #setActivation}. */
    public cudnnActivationDescriptor activation() {
        cudnnActivationDescriptor a = new cudnnActivationDescriptor();
        CudaCheck.cudnn(JCudnn.cudnnCreateActivationDescriptor(a), "cudnnCreateActivationDescriptor");
        return owned.add(a);
    }

    /** Sets mode and coefficient; NaN propagates, as on the CPU. */
    public static void setActivation(cudnnActivationDescriptor a, int mode, double coef) {
        CudaCheck.cudnn(JCudnn.cudnnSetActivationDescriptor(a, mode, PoolDescriptors.PROPAGATE_NAN, coef),
                "cudnnSetActivationDescriptor");
    }
}
