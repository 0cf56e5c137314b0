package org.neurite.runtime.cuda;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
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
 * uses, both bound to that stream; its caching {@link CudaAllocator}, the one cuDNN
 * {@link Workspace}, the pinned staging buffers of host copies, its PTX kernels, and the
 * {@link CudnnOptions} its ops choose algorithms by. Created once per device after a successful
 * {@link CudaProbe} ({@link #shared(int)}); {@link #close()} releases all of it.
 *
 * <p>Everything runs on the one stream, in the order it is queued; only downloads to the host and
 * {@link #synchronize()} wait for it.
 */
public final class CudaDevice implements Device, AutoCloseable {
    private final int index;
    private final cudaStream_t stream;
    private final cublasHandle cublas;
    private final cudnnHandle cudnn;
    private final CudaAllocator allocator;
    private final Workspace workspace;
    private final PinnedStaging staging;
    private final CudaKernels kernels;
    private volatile CudnnOptions cudnnOptions = CudnnOptions.DEFAULT;
    private boolean closed;

    private static final Map<Integer, CudaDevice> SHARED = new HashMap<>();

    private CudaDevice(int index, cudaStream_t stream, cublasHandle cublas, cudnnHandle cudnn) {
        this.index = index;
        this.stream = stream;
        this.cublas = cublas;
        this.cudnn = cudnn;
        this.allocator = new CudaAllocator("cuda:" + index, new CudaRawMemory());
        this.workspace = new Workspace(allocator);
        this.staging = new PinnedStaging(stream);
        this.kernels = new CudaKernels(this);
    }

    /**
     * The process-wide device {@code index}, opened on first use: tensors and ops on "cuda:N" share
     * one allocator, one stream and one pair of handles.
     *
     * @throws DeviceException as {@link #open(int)}
     */
    public static CudaDevice shared(int index) {
        synchronized (SHARED) {
            CudaDevice d = SHARED.get(index);
            if (d == null || d.closed) {
                d = open(index);
                SHARED.put(index, d);
            }
            return d;
        }
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

    /** The device's caching allocator: every tensor on it takes its memory from here. */
    public CudaAllocator allocator() { return allocator; }

    /** The one cuDNN workspace, grown to the largest size an op asked for. */
    public Workspace workspace() { return workspace; }

    /** The pinned buffers host copies go through. */
    public PinnedStaging staging() { return staging; }

    /** The PTX kernels, loaded on first use. */
    public CudaKernels kernels() { return kernels; }

    /** How cuDNN ops planned from now on choose algorithms. */
    public CudnnOptions cudnnOptions() { return cudnnOptions; }

    /** Sets the algorithm options (e.g. {@code --deterministic}); ops planned afterwards use them. */
    public void setCudnnOptions(CudnnOptions options) {
        this.cudnnOptions = Objects.requireNonNull(options, "options");
    }

    /** Makes this device current on the calling thread ({@code cudaSetDevice}). */
    public void makeCurrent() {
        CudaCheck.cuda(JCuda.cudaSetDevice(index), "cudaSetDevice");
    }

    /** Waits for all work queued on the stream. */
    public void synchronize() {
        CudaCheck.cuda(JCuda.cudaStreamSynchronize(stream), "cudaStreamSynchronize");
    }

    /**
     * Releases the workspace, the allocator's cache, the staging buffers, the kernels, the handles
     * and the stream; later calls do nothing. Tensors still open on the device must not be used.
     */
    @Override public synchronized void close() {
        if (closed) return;
        closed = true;
        makeCurrent();
        synchronize();
        workspace.release();
        allocator.emptyCache();
        staging.release();
        kernels.release();
        CudaCheck.cudnn(JCudnn.cudnnDestroy(cudnn), "cudnnDestroy");
        CudaCheck.cublas(JCublas2.cublasDestroy(cublas), "cublasDestroy");
        CudaCheck.cuda(JCuda.cudaStreamDestroy(stream), "cudaStreamDestroy");
    }

    @Override public String toString() { return name(); }
}
