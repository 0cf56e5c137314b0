package org.neurite.runtime.cuda;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import jcuda.Pointer;
import jcuda.runtime.JCuda;
import jcuda.runtime.cudaEvent_t;
import jcuda.runtime.cudaMemcpyKind;
import jcuda.runtime.cudaStream_t;

/**
 * Host-device copies of Java float arrays through two pinned (page-locked) host buffers of
 * {@link #CHUNK_FLOATS} floats each. A Java array may move, so the GPU cannot read it
 * asynchronously; a pinned buffer can be read by {@code cudaMemcpyAsync} while the host goes on.
 *
 * <p>Upload: each chunk is written into the buffer whose previous copy has finished (an event per
 * buffer says so), then queued with {@code cudaMemcpyAsync} on the device's stream; the call returns
 * once the last chunk is queued, so the host overlaps with the copy and with the work queued before
 * it. Download: chunks are queued into alternating buffers and each is read out once its event has
 * fired, so the copy of chunk i+1 overlaps with reading chunk i; it returns with the data in place.
 * Buffers are allocated on first use ({@code cudaHostAlloc}) and freed by {@link #release()}.
 * Not thread-safe on its own: the device serialises its users.
 */
public final class PinnedStaging {
    /** Floats per staging buffer: 4 MiB. */
    public static final int CHUNK_FLOATS = 1 << 20;

    /** What one chunk of a transfer covers. */
    @FunctionalInterface
    public interface ChunkBody {
        void chunk(int index, int buffer, int from, int count);
    }

    private final cudaStream_t stream;
    private final Pointer[] host = new Pointer[2];
    private final FloatBuffer[] view = new FloatBuffer[2];
    private final cudaEvent_t[] done = new cudaEvent_t[2];
    private final boolean[] pending = new boolean[2];

    PinnedStaging(cudaStream_t stream) {
        this.stream = stream;
    }

    /**
     * Runs {@code body} for the chunks of a transfer of {@code n} floats, {@code per} at a time, in
     * order; chunk i uses staging buffer i % 2.
     */
    public static void forEachChunk(int n, int per, ChunkBody body) {
        if (per <= 0) throw new IllegalArgumentException("chunk size must be positive, got " + per);
        int i = 0;
        for (int from = 0; from < n; from += per, i++) body.chunk(i, i & 1, from, Math.min(per, n - from));
    }

    /** Queues the copy of {@code src[off, off + n)} to the device address {@code dst}. */
    public void upload(float[] src, int off, int n, long dst) {
        forEachChunk(n, CHUNK_FLOATS, (i, b, from, count) -> {
            ready(b);
            FloatBuffer v = view[b];
            v.clear();
            v.put(src, off + from, count);
            CudaCheck.cuda(JCuda.cudaMemcpyAsync(DevicePointer.at(dst + 4L * from), host[b], 4L * count,
                    cudaMemcpyKind.cudaMemcpyHostToDevice, stream), "cudaMemcpyAsync(host to device)");
            record(b);
        });
    }

    /** Copies {@code n} floats from the device address {@code src} into {@code dst[off, off + n)}; waits for them. */
    public void download(long src, float[] dst, int off, int n) {
        int[] last = {-1, 0, 0};                    // buffer, from, count of the chunk not yet read out
        forEachChunk(n, CHUNK_FLOATS, (i, b, from, count) -> {
            ready(b);
            CudaCheck.cuda(JCuda.cudaMemcpyAsync(host[b], DevicePointer.at(src + 4L * from), 4L * count,
                    cudaMemcpyKind.cudaMemcpyDeviceToHost, stream), "cudaMemcpyAsync(device to host)");
            record(b);
            if (last[0] >= 0) readOut(last[0], dst, off + last[1], last[2]);
            last[0] = b;
            last[1] = from;
            last[2] = count;
        });
        if (last[0] >= 0) readOut(last[0], dst, off + last[1], last[2]);
    }

    private void readOut(int b, float[] dst, int at, int count) {
        waitFor(b);
        FloatBuffer v = view[b];
        v.clear();
        v.get(dst, at, count);
    }

    /** Allocates buffer {@code b} on first use; else waits until its last copy is done. */
    private void ready(int b) {
        if (host[b] == null) {
            Pointer p = new Pointer();
            CudaCheck.cuda(JCuda.cudaHostAlloc(p, 4L * CHUNK_FLOATS, JCuda.cudaHostAllocDefault), "cudaHostAlloc");
            host[b] = p;
            view[b] = p.getByteBuffer(0, 4L * CHUNK_FLOATS).order(ByteOrder.nativeOrder()).asFloatBuffer();
            cudaEvent_t e = new cudaEvent_t();
            CudaCheck.cuda(JCuda.cudaEventCreate(e), "cudaEventCreate");
            done[b] = e;
        }
        waitFor(b);
    }

    private void waitFor(int b) {
        if (pending[b]) {
            CudaCheck.cuda(JCuda.cudaEventSynchronize(done[b]), "cudaEventSynchronize");
            pending[b] = false;
        }
    }

    private void record(int b) {
        CudaCheck.cuda(JCuda.cudaEventRecord(done[b], stream), "cudaEventRecord");
        pending[b] = true;
    }

    /** Waits for pending copies and frees the pinned buffers. */
    public void release() {
        for (int b = 0; b < 2; b++) {
            if (host[b] == null) continue;
            waitFor(b);
            CudaCheck.cuda(JCuda.cudaFreeHost(host[b]), "cudaFreeHost");
            CudaCheck.cuda(JCuda.cudaEventDestroy(done[b]), "cudaEventDestroy");
            host[b] = null;
            view[b] = null;
        }
    }
}
