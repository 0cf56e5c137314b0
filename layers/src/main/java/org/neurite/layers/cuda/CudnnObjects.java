package org.neurite.layers.cuda;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import jcuda.Pointer;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnDropoutDescriptor;
import jcuda.jcudnn.cudnnLRNDescriptor;
import jcuda.jcudnn.cudnnRNNDataDescriptor;
import jcuda.jcudnn.cudnnRNNDescriptor;
import jcuda.jcudnn.cudnnTensorDescriptor;
import org.neurite.runtime.cuda.CudaAllocator;
import org.neurite.runtime.cuda.CudaCheck;
import org.neurite.runtime.cuda.DeviceBlock;
import org.neurite.runtime.cuda.DevicePointer;

/**
 * The cuDNN objects of one engine instance that {@link CudnnDescriptors} does not cover (strided
 * tensors, LRN, dropout, RNN and RNN data descriptors) and the device memory the engine keeps
 * between calls (RNN reserve space, dropout states, LRN scale): created here with every return
 * code checked, released when the engine becomes unreachable (the op contracts have no close).
 * Device blocks go back to their allocator; there is one stream per device, so a block freed
 * while queued work still reads it is only handed out to work queued behind that work.
 */
public final class CudnnObjects {
    private static final Cleaner CLEANER = Cleaner.create();

    /** What the cleaner releases; holds no reference to the engine. */
    private static final class Owned implements Runnable {
        private final List<Object> all = new ArrayList<>();
        private final List<CudaAllocator> allocators = new ArrayList<>();

        @Override public synchronized void run() {
            for (int i = all.size() - 1; i >= 0; i--) {
                Object d = all.get(i);
                // Return codes are ignored: this runs on the cleaner thread, where nobody could act on them.
                if (d instanceof cudnnTensorDescriptor t) JCudnn.cudnnDestroyTensorDescriptor(t);
                else if (d instanceof cudnnLRNDescriptor l) JCudnn.cudnnDestroyLRNDescriptor(l);
                else if (d instanceof cudnnDropoutDescriptor p) JCudnn.cudnnDestroyDropoutDescriptor(p);
                else if (d instanceof cudnnRNNDescriptor r) JCudnn.cudnnDestroyRNNDescriptor(r);
                else if (d instanceof cudnnRNNDataDescriptor r) JCudnn.cudnnDestroyRNNDataDescriptor(r);
                else if (d instanceof DeviceBlock b && b.isLive()) allocators.get(i).free(b);
            }
            all.clear();
            allocators.clear();
        }

        synchronized <T> T add(T d, CudaAllocator allocator) {
            all.add(d);
            allocators.add(allocator);
            return d;
        }

        synchronized void remove(DeviceBlock b, CudaAllocator allocator) {
            int i = all.indexOf(b);
            if (i >= 0) {
                all.remove(i);
                allocators.remove(i);
            }
            allocator.free(b);
        }
    }

    private final Owned owned = new Owned();

    private CudnnObjects() { }

    /** Objects released once {@code owner} is unreachable. */
    public static CudnnObjects ownedBy(Object owner) {
        CudnnObjects o = new CudnnObjects();
        CLEANER.register(owner, o.owned);
        return o;
    }

    /** A float tensor descriptor of {@code dims} with explicit {@code strides} (elements). */
    public cudnnTensorDescriptor tensor(int[] dims, int[] strides) {
        cudnnTensorDescriptor t = new cudnnTensorDescriptor();
        CudaCheck.cudnn(JCudnn.cudnnCreateTensorDescriptor(t), "cudnnCreateTensorDescriptor");
        owned.add(t, null);
        CudaCheck.cudnn(JCudnn.cudnnSetTensorNdDescriptor(t, CudnnDescriptors.FLOAT, dims.length, dims, strides),
                "cudnnSetTensorNdDescriptor");
        return t;
    }

    /** A packed float tensor descriptor of {@code dims}. */
    public cudnnTensorDescriptor tensor(int[] dims) {
        return tensor(dims, ConvDescriptors.packedStrides(dims));
    }

    /** An LRN descriptor: window {@code n}, alpha (divided by n inside cuDNN), beta, k. */
    public cudnnLRNDescriptor lrn(int n, double alpha, double beta, double k) {
        cudnnLRNDescriptor l = new cudnnLRNDescriptor();
        CudaCheck.cudnn(JCudnn.cudnnCreateLRNDescriptor(l), "cudnnCreateLRNDescriptor");
        owned.add(l, null);
        CudaCheck.cudnn(JCudnn.cudnnSetLRNDescriptor(l, n, alpha, beta, k), "cudnnSetLRNDescriptor");
        return l;
    }

    /** A dropout descriptor, set later ({@code cudnnSetDropoutDescriptor}). */
    public cudnnDropoutDescriptor dropout() {
        cudnnDropoutDescriptor d = new cudnnDropoutDescriptor();
        CudaCheck.cudnn(JCudnn.cudnnCreateDropoutDescriptor(d), "cudnnCreateDropoutDescriptor");
        return owned.add(d, null);
    }

    /** An RNN descriptor, set later ({@code cudnnSetRNNDescriptor_v8}). */
    public cudnnRNNDescriptor rnn() {
        cudnnRNNDescriptor r = new cudnnRNNDescriptor();
        CudaCheck.cudnn(JCudnn.cudnnCreateRNNDescriptor(r), "cudnnCreateRNNDescriptor");
        return owned.add(r, null);
    }

    /** An RNN data descriptor, set later ({@code cudnnSetRNNDataDescriptor}). */
    public cudnnRNNDataDescriptor rnnData() {
        cudnnRNNDataDescriptor r = new cudnnRNNDataDescriptor();
        CudaCheck.cudnn(JCudnn.cudnnCreateRNNDataDescriptor(r), "cudnnCreateRNNDataDescriptor");
        return owned.add(r, null);
    }

    /** {@code bytes} of device memory kept by the engine until {@link #free} or until it is unreachable. */
    public DeviceBlock block(CudaAllocator allocator, long bytes) {
        return owned.add(allocator.allocate(bytes), allocator);
    }

    /** Gives a block from {@link #block} back early (e.g. replaced by a larger one). */
    public void free(CudaAllocator allocator, DeviceBlock block) {
        owned.remove(block, allocator);
    }

    /** A JCuda pointer at {@code block}, or null for null. */
    public static Pointer pointer(DeviceBlock block) {
        return block == null ? null : DevicePointer.at(block.address());
    }
}
