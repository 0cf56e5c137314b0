package org.neurite.layers.pool;

import jcuda.Pointer;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnPoolingDescriptor;
import jcuda.jcudnn.cudnnTensorDescriptor;
import org.neurite.layers.cuda.CudnnDescriptors;
import org.neurite.layers.cuda.PoolDescriptors;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.cuda.CudaCheck;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.CudaTensors;

/**
 * The cuDNN engine of {@link PoolOp}: {@code cudnnPoolingForward} and {@code cudnnPoolingBackward}
 * over descriptors planned from the geometry ({@link PoolDescriptors}); with the device's
 * deterministic option, max pooling uses {@code CUDNN_POOLING_MAX_DETERMINISTIC}.
 *
 * <pre>{@code
 * PoolOp op = new PoolCudnn(PoolOp.Kind.MAX, geometry, (CudaDevice) x.device());
 * }</pre>
 */
public final class PoolCudnn implements PoolOp {
    private final Kind kind;
    private final PoolGeometry g;
    private final CudaDevice device;
    private final cudnnTensorDescriptor xDesc, yDesc;
    private final cudnnPoolingDescriptor poolDesc;

    public PoolCudnn(Kind kind, PoolGeometry g, CudaDevice device) {
        this.kind = kind;
        this.g = g;
        this.device = device;
        PoolDescriptors d = PoolDescriptors.of(kind, g, device.cudnnOptions().deterministic());
        CudnnDescriptors descs = CudnnDescriptors.ownedBy(this);
        xDesc = descs.tensor(d.xDims());
        yDesc = descs.tensor(d.yDims());
        poolDesc = descs.pooling(d);
    }

    @Override public Kind kind() { return kind; }

    @Override public PoolGeometry geometry() { return g; }

    @Override public void forward(Tensor x, Tensor y) {
        check(x, g.planes() * g.inPixels(), "x");
        check(y, g.planes() * g.outPixels(), "y");
        CudaCheck.cudnn(JCudnn.cudnnPoolingForward(device.cudnn(), poolDesc, CudnnDescriptors.ONE, xDesc, ptr(x, "x"),
                CudnnDescriptors.ZERO, yDesc, ptr(y, "y")), "cudnnPoolingForward");
    }

    @Override public void backward(Tensor x, Tensor y, Tensor dY, Tensor dX) {
        check(x, g.planes() * g.inPixels(), "x");
        check(y, g.planes() * g.outPixels(), "y");
        check(dY, g.planes() * g.outPixels(), "dY");
        check(dX, g.planes() * g.inPixels(), "dX");
        CudaCheck.cudnn(JCudnn.cudnnPoolingBackward(device.cudnn(), poolDesc, CudnnDescriptors.ONE, yDesc, ptr(y, "y"),
                yDesc, ptr(dY, "dY"), xDesc, ptr(x, "x"), CudnnDescriptors.ZERO, xDesc, ptr(dX, "dX")), "cudnnPoolingBackward");
    }

    private Pointer ptr(Tensor t, String name) {
        return CudaTensors.operand(t, device, "PoolCudnn", name);
    }

    private static void check(Tensor t, int size, String what) {
        if (t.size() != size) throw new IllegalArgumentException("PoolCudnn planned for " + what + " of " + size + " floats, got " + t.shape());
    }
}
