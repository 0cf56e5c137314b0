package org.neurite.layers.cuda;

import java.util.ArrayList;
import java.util.List;
import jcuda.Pointer;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnConvolutionBwdDataAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionBwdFilterAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionDescriptor;
import jcuda.jcudnn.cudnnConvolutionFwdAlgoPerf;
import jcuda.jcudnn.cudnnFilterDescriptor;
import jcuda.jcudnn.cudnnHandle;
import jcuda.jcudnn.cudnnTensorDescriptor;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;
import org.neurite.runtime.cuda.CudaCheck;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.CudaOutOfMemoryException;
import org.neurite.runtime.cuda.CudaTensors;
import org.neurite.runtime.cuda.DeviceBlock;
import org.neurite.runtime.cuda.DevicePointer;

/**
 * cuDNN's ranked candidates for one convolution. Heuristic mode asks
 * {@code cudnnGetConvolution*Algorithm_v7} and replaces each candidate's memory by
 * {@code cudnnGetConvolution*WorkspaceSize} (the exact figure). Benchmark mode runs
 * {@code cudnnFindConvolution*AlgorithmEx} on scratch tensors of the planned shapes with as much
 * of the workspace limit as the allocator can give (halved until it can), then returns all of it.
 * Only used after the device's handle was created successfully (CUDA-NOTES: the {@code _v7} calls
 * crash the JVM on a failed handle).
 */
final class CudnnConvAlgoSource implements ConvAlgorithms.Source {
    private final CudaDevice device;
    private final cudnnTensorDescriptor x;
    private final cudnnFilterDescriptor w;
    private final cudnnConvolutionDescriptor conv;
    private final cudnnTensorDescriptor y;
    private final Shape xShape, wShape, yShape;
    private final long workspaceLimit;

    CudnnConvAlgoSource(CudaDevice device, cudnnTensorDescriptor x, cudnnFilterDescriptor w, cudnnConvolutionDescriptor conv,
                        cudnnTensorDescriptor y, Shape xShape, Shape wShape, Shape yShape, long workspaceLimit) {
        this.device = device;
        this.x = x;
        this.w = w;
        this.conv = conv;
        this.y = y;
        this.xShape = xShape;
        this.wShape = wShape;
        this.yShape = yShape;
        this.workspaceLimit = workspaceLimit;
    }

    @Override public List<AlgoPerf> candidates(ConvPass pass, boolean benchmark) {
        return benchmark ? find(pass) : heuristics(pass);
    }

    private List<AlgoPerf> heuristics(ConvPass pass) {
        cudnnHandle h = device.cudnn();
        int[] max = {0};
        int[] returned = {0};
        List<AlgoPerf> out = new ArrayList<>();
        switch (pass) {
            case FORWARD -> {
                CudaCheck.cudnn(JCudnn.cudnnGetConvolutionForwardAlgorithmMaxCount(h, max), "cudnnGetConvolutionForwardAlgorithmMaxCount");
                cudnnConvolutionFwdAlgoPerf[] p = filled(new cudnnConvolutionFwdAlgoPerf[max[0]], cudnnConvolutionFwdAlgoPerf::new);
                CudaCheck.cudnn(JCudnn.cudnnGetConvolutionForwardAlgorithm_v7(h, x, w, conv, y, max[0], returned, p),
                        "cudnnGetConvolutionForwardAlgorithm_v7");
                for (int i = 0; i < returned[0]; i++) {
                    long[] ws = {0};
                    int rc = p[i].status == 0 ? JCudnn.cudnnGetConvolutionForwardWorkspaceSize(h, x, w, conv, y, p[i].algo, ws) : p[i].status;
                    out.add(new AlgoPerf(p[i].algo, rc, -1f, rc == 0 ? ws[0] : p[i].memory, p[i].determinism, p[i].mathType));
                }
            }
            case BACKWARD_DATA -> {
                CudaCheck.cudnn(JCudnn.cudnnGetConvolutionBackwardDataAlgorithmMaxCount(h, max), "cudnnGetConvolutionBackwardDataAlgorithmMaxCount");
                cudnnConvolutionBwdDataAlgoPerf[] p = filled(new cudnnConvolutionBwdDataAlgoPerf[max[0]], cudnnConvolutionBwdDataAlgoPerf::new);
                CudaCheck.cudnn(JCudnn.cudnnGetConvolutionBackwardDataAlgorithm_v7(h, w, y, conv, x, max[0], returned, p),
                        "cudnnGetConvolutionBackwardDataAlgorithm_v7");
                for (int i = 0; i < returned[0]; i++) {
                    long[] ws = {0};
                    int rc = p[i].status == 0 ? JCudnn.cudnnGetConvolutionBackwardDataWorkspaceSize(h, w, y, conv, x, p[i].algo, ws) : p[i].status;
                    out.add(new AlgoPerf(p[i].algo, rc, -1f, rc == 0 ? ws[0] : p[i].memory, p[i].determinism, p[i].mathType));
                }
            }
            case BACKWARD_FILTER -> {
                CudaCheck.cudnn(JCudnn.cudnnGetConvolutionBackwardFilterAlgorithmMaxCount(h, max), "cudnnGetConvolutionBackwardFilterAlgorithmMaxCount");
                cudnnConvolutionBwdFilterAlgoPerf[] p = filled(new cudnnConvolutionBwdFilterAlgoPerf[max[0]], cudnnConvolutionBwdFilterAlgoPerf::new);
                CudaCheck.cudnn(JCudnn.cudnnGetConvolutionBackwardFilterAlgorithm_v7(h, x, y, conv, w, max[0], returned, p),
                        "cudnnGetConvolutionBackwardFilterAlgorithm_v7");
                for (int i = 0; i < returned[0]; i++) {
                    long[] ws = {0};
                    int rc = p[i].status == 0 ? JCudnn.cudnnGetConvolutionBackwardFilterWorkspaceSize(h, x, y, conv, w, p[i].algo, ws) : p[i].status;
                    out.add(new AlgoPerf(p[i].algo, rc, -1f, rc == 0 ? ws[0] : p[i].memory, p[i].determinism, p[i].mathType));
                }
            }
        }
        return out;
    }

    private List<AlgoPerf> find(ConvPass pass) {
        cudnnHandle h = device.cudnn();
        int[] max = {0};
        int[] returned = {0};
        List<AlgoPerf> out = new ArrayList<>();
        // Scratch operands: FindEx writes its outputs, so the layer's own tensors are not used.
        Tensor tx = CudaTensors.zeros(xShape, device), tw = CudaTensors.zeros(wShape, device), ty = CudaTensors.zeros(yShape, device);
        DeviceBlock ws = scratchWorkspace();
        try {
            Pointer px = CudaTensors.pointer(tx), pw = CudaTensors.pointer(tw), py = CudaTensors.pointer(ty);
            Pointer pws = ws == null ? null : DevicePointer.at(ws.address());
            long wsBytes = ws == null ? 0 : ws.size();
            switch (pass) {
                case FORWARD -> {
                    CudaCheck.cudnn(JCudnn.cudnnGetConvolutionForwardAlgorithmMaxCount(h, max), "cudnnGetConvolutionForwardAlgorithmMaxCount");
                    cudnnConvolutionFwdAlgoPerf[] p = filled(new cudnnConvolutionFwdAlgoPerf[max[0]], cudnnConvolutionFwdAlgoPerf::new);
                    CudaCheck.cudnn(JCudnn.cudnnFindConvolutionForwardAlgorithmEx(h, x, px, w, pw, conv, y, py, max[0], returned, p, pws, wsBytes),
                            "cudnnFindConvolutionForwardAlgorithmEx");
                    for (int i = 0; i < returned[0]; i++) out.add(new AlgoPerf(p[i].algo, p[i].status, p[i].time, p[i].memory, p[i].determinism, p[i].mathType));
                }
                case BACKWARD_DATA -> {
                    CudaCheck.cudnn(JCudnn.cudnnGetConvolutionBackwardDataAlgorithmMaxCount(h, max), "cudnnGetConvolutionBackwardDataAlgorithmMaxCount");
                    cudnnConvolutionBwdDataAlgoPerf[] p = filled(new cudnnConvolutionBwdDataAlgoPerf[max[0]], cudnnConvolutionBwdDataAlgoPerf::new);
                    CudaCheck.cudnn(JCudnn.cudnnFindConvolutionBackwardDataAlgorithmEx(h, w, pw, y, py, conv, x, px, max[0], returned, p, pws, wsBytes),
                            "cudnnFindConvolutionBackwardDataAlgorithmEx");
                    for (int i = 0; i < returned[0]; i++) out.add(new AlgoPerf(p[i].algo, p[i].status, p[i].time, p[i].memory, p[i].determinism, p[i].mathType));
                }
                case BACKWARD_FILTER -> {
                    CudaCheck.cudnn(JCudnn.cudnnGetConvolutionBackwardFilterAlgorithmMaxCount(h, max), "cudnnGetConvolutionBackwardFilterAlgorithmMaxCount");
                    cudnnConvolutionBwdFilterAlgoPerf[] p = filled(new cudnnConvolutionBwdFilterAlgoPerf[max[0]], cudnnConvolutionBwdFilterAlgoPerf::new);
                    CudaCheck.cudnn(JCudnn.cudnnFindConvolutionBackwardFilterAlgorithmEx(h, x, px, y, py, conv, w, pw, max[0], returned, p, pws, wsBytes),
                            "cudnnFindConvolutionBackwardFilterAlgorithmEx");
                    for (int i = 0; i < returned[0]; i++) out.add(new AlgoPerf(p[i].algo, p[i].status, p[i].time, p[i].memory, p[i].determinism, p[i].mathType));
                }
            }
        } finally {
            if (ws != null) device.allocator().free(ws);
            tx.close();
            tw.close();
            ty.close();
        }
        return out;
    }

    /** As much of the workspace limit as the device can give now, or null for none. */
    private DeviceBlock scratchWorkspace() {
        for (long bytes = workspaceLimit; bytes >= 1 << 20; bytes /= 2) {
            try {
                return device.allocator().allocate(bytes);
            } catch (CudaOutOfMemoryException e) {
                // try half
            }
        }
        return null;
    }

    private static <T> T[] filled(T[] a, java.util.function.Supplier<T> make) {
        for (int i = 0; i < a.length; i++) a[i] = make.get();
        return a;
    }
}
