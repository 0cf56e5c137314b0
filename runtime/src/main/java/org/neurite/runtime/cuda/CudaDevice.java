package org.neurite.runtime.cuda;

import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnHandle;
import jcuda.runtime.JCuda;
import jcuda.runtime.cudaStream_t;
import org.neurite.runtime.CudaProbe;
import org.neurite.runtime.Device;
import org.neurite.runtime.DeviceException;

/**
 * One CUDA device: its index, its stream, and the one cuBLAS and one cuDNN handle every op on it
 * uses, both bound to that stream. Created once per device after a successful {@link CudaProbe};
 * {@link #close()} releases the handles and the stream.
 */
public final class CudaDevice implements Device, AutoCloseable {
    private final int index;
    private final cudaStream_t stream;
    private final cublasHandle cublas;
    private final cudnnHandle cudnn;
    private boolean closed;

    private CudaDevice(int index, cudaStream_t stream, cublasHandle cublas, cudnnHandle cudnn) {
        this.index = index;
        this.stream = stream;
        this.cublas = cublas;
        this.cudnn = cudnn;
    }

    /**
     * Opens device {@code index}: makes it current, creates its stream and its handles.
     *
     * @throws DeviceException the probe failed, the index is out of range, or a create call failed
     */
    public static CudaDevice open(int index) {
        CudaProbe.Result r = CudaProbe.probe();
        if (!r.usable()) throw new DeviceException("cuda:" + index + ": CUDA is not usable: " + r.reason());
        if (index < 0 || index >= r.deviceCount()) {
            throw new DeviceException("cuda:" + index + ": no such CUDA device (" + r.deviceCount() + " present)");
        }
        CudaCheck.cuda(JCuda.cudaSetDevice(index), "cudaSetDevice");
        cudaStream_t stream = null;
        cublasHandle cublas = null;
        cudnnHandle cudnn = null;
        try {
            cudaStream_t s = new cudaStream_t();
            CudaCheck.cuda(JCuda.cudaStreamCreate(s), "cudaStreamCreate");
            stream = s;
            cublasHandle b = new cublasHandle();
            CudaCheck.cublas(JCublas2.cublasCreate(b), "cublasCreate");
            cublas = b;
            CudaCheck.cublas(JCublas2.cublasSetStream(cublas, stream), "cublasSetStream");
            cudnnHandle d = new cudnnHandle();
            CudaCheck.cudnn(JCudnn.cudnnCreate(d), "cudnnCreate");
            cudnn = d;
            CudaCheck.cudnn(JCudnn.cudnnSetStream(cudnn, stream), "cudnnSetStream");
            return new CudaDevice(index, stream, cublas, cudnn);
        } catch (RuntimeException e) {
            // Only handles whose create returned 0 are destroyed; a failed create's handle is dropped.
            if (cudnn != null) JCudnn.cudnnDestroy(cudnn);
            if (cublas != null) JCublas2.cublasDestroy(cublas);
            if (stream != null) JCuda.cudaStreamDestroy(stream);
            throw e;
        }
    }

    @Override public Kind kind() { return Kind.CUDA; }

    @Override public String name() { return "cuda:" + index; }

    /** The CUDA device ordinal. */
    public int index() { return index; }

    /** The stream every op on this device runs on. */
    public cudaStream_t stream() { return stream; }

    /** The device's one cuBLAS handle, bound to {@link #stream()}. */
    public cublasHandle cublas() { return cublas; }

    /** The device's one cuDNN handle, bound to {@link #stream()}. */
    public cudnnHandle cudnn() { return cudnn; }

    /** Makes this device current on the calling thread ({@code cudaSetDevice}). */
    public void makeCurrent() {
        CudaCheck.cuda(JCuda.cudaSetDevice(index), "cudaSetDevice");
    }

    /** Waits for all work queued on the stream. */
    public void synchronize() {
        CudaCheck.cuda(JCuda.cudaStreamSynchronize(stream), "cudaStreamSynchronize");
    }

    /** Destroys the handles and the stream; later calls do nothing. */
    @Override public synchronized void close() {
        if (closed) return;
        closed = true;
        makeCurrent();
        CudaCheck.cudnn(JCudnn.cudnnDestroy(cudnn), "cudnnDestroy");
        CudaCheck.cublas(JCublas2.cublasDestroy(cublas), "cublasDestroy");
        CudaCheck.cuda(JCuda.cudaStreamDestroy(stream), "cudaStreamDestroy");
    }

    @Override public String toString() { return name(); }
}
