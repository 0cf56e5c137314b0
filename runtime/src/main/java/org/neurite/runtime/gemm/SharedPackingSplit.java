package org.neurite.runtime.gemm;

import org.neurite.runtime.Parallel;

/**
 * One call with many rows of C split over the pool so that the threads share each packed block of
 * B: for every (jc, pc) block of {@link BlockedGemm}'s loop nest the threads first pack its panels
 * together, each a share, then claim blocks of rows of C one at a time, each packing its own A
 * block into its own buffers. Splitting the rows in two fixed halves instead had every thread pack
 * the whole of B for itself and wait for the slower one at the end: on these shared machines one
 * core is often a third slower than the other for seconds at a time, and W5 on two threads ran at
 * 1.27x one thread (PyTorch's OpenBLAS: 1.72x).
 * <p>
 * Every element of C is still summed by the same kernel over the same global k blocks, so the
 * result is bit-identical to one thread's. One per calling thread ({@link Gemm}), reused: a call
 * allocates nothing once its packed-B buffer has grown to the largest block.
 */
final class SharedPackingSplit {
    /** Rows of C per claimed block: small enough that the last claims even out two threads. */
    private static final int BLOCK_ROWS = 60;

    private final BlockedGemm blocked;
    private final int blockRows;
    private final Parallel.RangeBody packPanels = this::packPanels;
    private final Parallel.RangeBody multiplyBlocks = this::multiplyBlocks;
    private final GemmCall call = new GemmCall();
    private float[] packedB = new float[0];
    // the (jc, pc) block being computed
    private int jc, ncNow, pc, kcNow;
    private float betaNow;

    SharedPackingSplit(BlockedGemm blocked) {
        this.blocked = blocked;
        this.blockRows = BlockedGemm.roundUp(BLOCK_ROWS, blocked.kernel().mr());
    }

    /** True when the rows of C make enough blocks for every thread to claim several. */
    static boolean applies(int m, int threads) {
        return Math.ceilDiv(m, BLOCK_ROWS) >= 4 * threads;
    }

    /** C = alpha op(A) op(B) + beta C over the pool; B is always packed (never read in place). */
    void run(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
             float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        int nr = blocked.kernel().nr(), kc = blocked.kc(), nc = blocked.nc();
        int need = Math.min(nc, BlockedGemm.roundUp(n, nr)) * Math.min(kc, k);
        if (packedB.length < need) packedB = new float[need];
        call.set(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        try {
            for (jc = 0; jc < n; jc += nc) {
                ncNow = Math.min(nc, n - jc);
                for (pc = 0; pc < k; pc += kc) {
                    kcNow = Math.min(kc, k - pc);
                    betaNow = pc == 0 ? beta : 1f;     // later k blocks add to what the first wrote
                    Parallel.forRange(Math.ceilDiv(ncNow, nr), packPanels);
                    Parallel.forEach(Math.ceilDiv(m, blockRows), multiplyBlocks);
                }
            }
        } finally {
            call.clear();
        }
    }

    /** Panels q0..q1-1 of the current B block, in place in the shared buffer. */
    private void packPanels(int q0, int q1) {
        int nr = blocked.kernel().nr();
        int cols = Math.min(q1 * nr, ncNow) - q0 * nr;
        Packing.packB(call.transB, call.b, call.bOff, call.ldb, pc, kcNow, jc + q0 * nr, cols, nr, packedB, q0 * kcNow * nr);
    }

    /** Row blocks i0..i1-1 of C against the current B block, A packed in this thread's buffers. */
    private void multiplyBlocks(int i0, int i1) {
        MicroKernel kernel = blocked.kernel();
        GemmBuffers buf = GemmBuffers.get(blockRows * kcNow, 0, kernel.mr() * kernel.nr());
        GemmCall g = call;
        for (int block = i0; block < i1; block++) {
            int ic = block * blockRows, rows = Math.min(blockRows, g.m - ic);
            Packing.packA(g.transA, g.a, g.aOff, g.lda, ic, rows, pc, kcNow, kernel.mr(), buf.a);
            blocked.macro(buf, packedB, false, ic, rows, jc, ncNow, pc, kcNow, g.alpha, g.b, g.bOff, g.ldb,
                    betaNow, g.c, g.cOff, g.ldc);
        }
    }
}
