package org.neurite.layers.cuda;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jcuda.jcudnn.cudnnConvolutionDescriptor;
import jcuda.jcudnn.cudnnFilterDescriptor;
import jcuda.jcudnn.cudnnTensorDescriptor;
import org.neurite.layers.conv.ConvGeometry;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.CudnnOptions;

/**
 * The algorithm choices of every convolution shape seen, per device and options: layers of the
 * same shape (ResNet's repeated blocks) and re-plans of the same shape search once.
 */
public final class CudnnConvAlgos {
    private record Key(int device, ConvGeometry geometry, CudnnOptions options) { }

    private static final Map<Key, ConvAlgorithms.Choice> CACHE = new ConcurrentHashMap<>();

    private CudnnConvAlgos() { }

    /** The choice for {@code g} on {@code device}, searched with cuDNN the first time. */
    public static ConvAlgorithms.Choice choose(CudaDevice device, ConvGeometry g, CudnnOptions options,
                                               cudnnTensorDescriptor x, cudnnFilterDescriptor w,
                                               cudnnConvolutionDescriptor conv, cudnnTensorDescriptor y) {
        return CACHE.computeIfAbsent(new Key(device.index(), g, options), k -> ConvAlgorithms.choose(describe(g),
                new CudnnConvAlgoSource(device, x, w, conv, y, g.inputShape(), g.filterShape(), g.outputShape(),
                        options.workspaceLimit()), options));
    }

    private static String describe(ConvGeometry g) {
        return "Conv2d " + g.inputShape() + " * " + g.filterShape() + " -> " + g.outputShape();
    }
}
