package org.neurite.runtime.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * C = alpha * A B^T + beta * C by dot products over the contiguous rows of A [m, k] and B [n, k]:
 * the {@link MicroKernel#dots} path of the Vector API engine (a convolution's filter gradient,
 * dW [K, Q] += G [K, L] col [Q, L]^T, with L up to a few thousand).
 * <p>
 * C is cut into blocks of 3 x 4 or 4 x 3 cells, whichever pads m and n less (conv2: 16 x 150 in
 * 4 x 3 blocks wastes nothing, 3 x 4 wastes 12%); a block keeps 12 vector accumulators over k.
 * The k loop of a block and the lane reductions are separate small methods that meet through a
 * per-thread scratch array: when all of it sat in one method, C2 hit its inlining node limit,
 * called the reduction out of line and boxed every vector passed to it (60 bytes per cell of C;
 * conv2's 16 x 150 x 408 filter gradient took 134 us, now 44-55 us, one thread).
 * <p>
 * The lanes of four accumulators are summed together by a transposing tree (two folds that
 * pair halves of two vectors, then two in-vector steps), which adds lane i and lane i ^ half at
 * every level (the order the lanes of one vector would be summed in), fixed in every JIT tier.
 * The k % V tail is one more vector step over the last V elements of each row, with the lanes
 * the main loop already took zeroed: no scalar tail (which cost as much as the vector loop for
 * k = 408) and no masked load past the end of an array (the Vector API's slow path).
 * <p>
 * On machines with 16 vector registers (x86 AVX2, the 256-bit species) the k loop is kept rolled.
 * C2 unrolls the plain counted loop four times and schedules the loads of all four steps ahead of
 * the FMAs, so with 12 accumulators it runs out of registers: 46 stack loads and stores per 48
 * FMAs in the 4 x 3 loop (seen in the disassembly on an AMD EPYC), some of them accumulators whose
 * FMA chain then goes through memory; even a 4 x 2 block spills when unrolled. The rolled loop
 * steps by {@link #rolledStep}, a field C2 cannot fold to a constant, so the loop is not a counted
 * loop, is not unrolled, and its 12 accumulators, 3 (or 4) row vectors and the streamed one take
 * the 16 registers with no spill; what it pays instead is a bounds check per load (52
 * instructions per 12 FMAs, against 161 per 48 unrolled). Measured there, one
 * thread, thread CPU time, unrolled -> rolled: 6 x 25 x 1784 (conv1's filter gradient) 15-19 ->
 * 8-10 us, 16 x 150 x 408 (conv2's) 44-61 -> 34-41, 16 x 144 x 1086 109-150 -> 90-99,
 * 32 x 288 x 512 220-300 -> 176-203; 4 x 2 and 2 x 4 blocks, unrolled or rolled, and a rolled
 * 3 x 3 were all slower than the rolled 4 x 3 / 3 x 4. With 32 registers (AVX-512) the unrolled
 * loop stays. Both loops add the same products in the same order to each lane, so they give the
 * same bits.
 */
final class VectorDots {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();

    // Fold level 1 pairs lanes i and i ^ V/2, level 2 lanes i ^ V/4; then V/8 ... 1 in-vector.
    private static final VectorShuffle<Float> SWAP_HALF = swap(V / 2);
    private static final VectorShuffle<Float> SWAP_QUARTER = swap(V / 4);
    private static final VectorShuffle<Float> SWAP_8TH = swap(V / 8);
    private static final VectorShuffle<Float> SWAP_16TH = swap(V / 16);
    private static final VectorMask<Float> UPPER_HALF = lanesWithBit(V / 2);
    private static final VectorMask<Float> UPPER_QUARTER = lanesWithBit(V / 4);

    /** Keep the k loop rolled: on 16-register machines, where the unrolled one spills (above). */
    static final boolean ROLLED = S.vectorBitSize() == 256;
    /**
     * The rolled loop's step, always V. Not final on purpose: C2 makes a loop with a non-constant
     * stride no counted loop, and only counted loops are unrolled.
     */
    private static int rolledStep = V;

    private VectorDots() { }

    static void dots(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        dots(ROLLED, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** {@link #dots} with the k loop rolled or unrolled whatever the machine (tests run both). */
    static void dots(boolean rolled, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (V < 4) throw new IllegalStateException("VectorDots needs at least 4 lanes, the species has " + V);
        if (k < V) {        // too short for a vector; Gemm sends no such shape here
            ScalarMicroKernel.dotsScalar(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        int kv = k - k % V;
        // 4 x 3 when it pads less; the sum of every cell is the same either way
        boolean tall = (long) roundUp(m, 4) * roundUp(n, 3) < (long) roundUp(m, 3) * roundUp(n, 4);
        int mb = tall ? 4 : 3, nb = tall ? 3 : 4;
        float[] acc = GemmBuffers.get(0, 0, 12 * V).tile;     // a block's 12 accumulators
        for (int i = 0; i < m; i += mb) {
            int rows = Math.min(mb, m - i);
            for (int j = 0; j < n; j += nb) {
                int cols = Math.min(nb, n - j);
                // missing rows and columns repeat the last one; their sums are not stored
                int at = cOff + i * ldc + j;
                int a0 = aOff + i * lda, b0 = bOff + j * ldb;
                int a1 = aOff + Math.min(i + 1, m - 1) * lda, b1 = bOff + Math.min(j + 1, n - 1) * ldb;
                int a2 = aOff + Math.min(i + 2, m - 1) * lda, b2 = bOff + Math.min(j + 2, n - 1) * ldb;
                if (tall) {
                    int a3 = aOff + Math.min(i + 3, m - 1) * lda;
                    if (rolled) block4x3Rolled(kv, a, a0, a1, a2, a3, b, b0, b1, b2, acc);
                    else block4x3(kv, a, a0, a1, a2, a3, b, b0, b1, b2, acc);
                    if (kv < k) tail4x3(kv, k, a, a0, a1, a2, a3, b, b0, b1, b2, acc);
                    for (int jj = 0; jj < cols; jj++) store4(acc, 4 * jj * V, c, at + jj, ldc, rows, alpha, beta);
                } else {
                    int b3 = bOff + Math.min(j + 3, n - 1) * ldb;
                    if (rolled) block3x4Rolled(kv, a, a0, a1, a2, b, b0, b1, b2, b3, acc);
                    else block3x4(kv, a, a0, a1, a2, b, b0, b1, b2, b3, acc);
                    if (kv < k) tail3x4(kv, k, a, a0, a1, a2, b, b0, b1, b2, b3, acc);
                    for (int ii = 0; ii < rows; ii++) store4(acc, 4 * ii * V, c, at + ii * ldc, 1, cols, alpha, beta);
                }
            }
        }
    }

    /**
     * Rows a0..a2 of A against rows b0..b3 of B over [0, kv), counted loop: accumulator (r, j) to
     * acc[(4r + j) V ..].
     */
    private static void block3x4(int kv, float[] a, int a0, int a1, int a2,
                                 float[] b, int b0, int b1, int b2, int b3, float[] acc) {
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S);
        FloatVector s02 = FloatVector.zero(S), s03 = FloatVector.zero(S);
        FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S);
        FloatVector s12 = FloatVector.zero(S), s13 = FloatVector.zero(S);
        FloatVector s20 = FloatVector.zero(S), s21 = FloatVector.zero(S);
        FloatVector s22 = FloatVector.zero(S), s23 = FloatVector.zero(S);
        for (int p = 0; p < kv; p += V) {
            FloatVector x0 = FloatVector.fromArray(S, a, a0 + p);
            FloatVector x1 = FloatVector.fromArray(S, a, a1 + p);
            FloatVector x2 = FloatVector.fromArray(S, a, a2 + p);
            FloatVector y = FloatVector.fromArray(S, b, b0 + p);
            s00 = x0.fma(y, s00);
            s10 = x1.fma(y, s10);
            s20 = x2.fma(y, s20);
            y = FloatVector.fromArray(S, b, b1 + p);
            s01 = x0.fma(y, s01);
            s11 = x1.fma(y, s11);
            s21 = x2.fma(y, s21);
            y = FloatVector.fromArray(S, b, b2 + p);
            s02 = x0.fma(y, s02);
            s12 = x1.fma(y, s12);
            s22 = x2.fma(y, s22);
            y = FloatVector.fromArray(S, b, b3 + p);
            s03 = x0.fma(y, s03);
            s13 = x1.fma(y, s13);
            s23 = x2.fma(y, s23);
        }
        // Stored, not reduced here: with the reduction this method grew past C2's inlining node
        // limit, and vectors passed to the calls it gave up on were boxed.
        s00.intoArray(acc, 0);
        s01.intoArray(acc, V);
        s02.intoArray(acc, 2 * V);
        s03.intoArray(acc, 3 * V);
        s10.intoArray(acc, 4 * V);
        s11.intoArray(acc, 5 * V);
        s12.intoArray(acc, 6 * V);
        s13.intoArray(acc, 7 * V);
        s20.intoArray(acc, 8 * V);
        s21.intoArray(acc, 9 * V);
        s22.intoArray(acc, 10 * V);
        s23.intoArray(acc, 11 * V);
    }

    /**
     * {@link #block3x4} with the rolled loop (class comment). A method of its own: when both
     * loops sat in one method, C2 compiled the rolled one 2x slower once the other had run too.
     */
    private static void block3x4Rolled(int kv, float[] a, int a0, int a1, int a2,
                                       float[] b, int b0, int b1, int b2, int b3, float[] acc) {
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S);
        FloatVector s02 = FloatVector.zero(S), s03 = FloatVector.zero(S);
        FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S);
        FloatVector s12 = FloatVector.zero(S), s13 = FloatVector.zero(S);
        FloatVector s20 = FloatVector.zero(S), s21 = FloatVector.zero(S);
        FloatVector s22 = FloatVector.zero(S), s23 = FloatVector.zero(S);
        for (int p = 0, step = rolledStep; p < kv; p += step) {
            FloatVector x0 = FloatVector.fromArray(S, a, a0 + p);
            FloatVector x1 = FloatVector.fromArray(S, a, a1 + p);
            FloatVector x2 = FloatVector.fromArray(S, a, a2 + p);
            FloatVector y = FloatVector.fromArray(S, b, b0 + p);
            s00 = x0.fma(y, s00);
            s10 = x1.fma(y, s10);
            s20 = x2.fma(y, s20);
            y = FloatVector.fromArray(S, b, b1 + p);
            s01 = x0.fma(y, s01);
            s11 = x1.fma(y, s11);
            s21 = x2.fma(y, s21);
            y = FloatVector.fromArray(S, b, b2 + p);
            s02 = x0.fma(y, s02);
            s12 = x1.fma(y, s12);
            s22 = x2.fma(y, s22);
            y = FloatVector.fromArray(S, b, b3 + p);
            s03 = x0.fma(y, s03);
            s13 = x1.fma(y, s13);
            s23 = x2.fma(y, s23);
        }
        s00.intoArray(acc, 0);
        s01.intoArray(acc, V);
        s02.intoArray(acc, 2 * V);
        s03.intoArray(acc, 3 * V);
        s10.intoArray(acc, 4 * V);
        s11.intoArray(acc, 5 * V);
        s12.intoArray(acc, 6 * V);
        s13.intoArray(acc, 7 * V);
        s20.intoArray(acc, 8 * V);
        s21.intoArray(acc, 9 * V);
        s22.intoArray(acc, 10 * V);
        s23.intoArray(acc, 11 * V);
    }

    /**
     * The k % V tail of a 3 x 4 block: one vector step over [k - V, k) with the lanes before kv
     * (counted by the loop) zeroed, added to the accumulators in acc: each lane's sum gets its
     * last products last, as if the loop had run on.
     */
    private static void tail3x4(int kv, int k, float[] a, int a0, int a1, int a2,
                                float[] b, int b0, int b1, int b2, int b3, float[] acc) {
        int p = k - V;
        VectorMask<Float> fresh = S.indexInRange(0, kv - p).not();
        FloatVector z = FloatVector.zero(S);
        FloatVector s00 = FloatVector.fromArray(S, acc, 0);
        FloatVector s01 = FloatVector.fromArray(S, acc, V);
        FloatVector s02 = FloatVector.fromArray(S, acc, 2 * V);
        FloatVector s03 = FloatVector.fromArray(S, acc, 3 * V);
        FloatVector s10 = FloatVector.fromArray(S, acc, 4 * V);
        FloatVector s11 = FloatVector.fromArray(S, acc, 5 * V);
        FloatVector s12 = FloatVector.fromArray(S, acc, 6 * V);
        FloatVector s13 = FloatVector.fromArray(S, acc, 7 * V);
        FloatVector s20 = FloatVector.fromArray(S, acc, 8 * V);
        FloatVector s21 = FloatVector.fromArray(S, acc, 9 * V);
        FloatVector s22 = FloatVector.fromArray(S, acc, 10 * V);
        FloatVector s23 = FloatVector.fromArray(S, acc, 11 * V);
        FloatVector x0 = z.blend(FloatVector.fromArray(S, a, a0 + p), fresh);
        FloatVector x1 = z.blend(FloatVector.fromArray(S, a, a1 + p), fresh);
        FloatVector x2 = z.blend(FloatVector.fromArray(S, a, a2 + p), fresh);
        // B zeroed too: 0 * inf would be NaN
        FloatVector y = z.blend(FloatVector.fromArray(S, b, b0 + p), fresh);
        s00 = x0.fma(y, s00);
        s10 = x1.fma(y, s10);
        s20 = x2.fma(y, s20);
        y = z.blend(FloatVector.fromArray(S, b, b1 + p), fresh);
        s01 = x0.fma(y, s01);
        s11 = x1.fma(y, s11);
        s21 = x2.fma(y, s21);
        y = z.blend(FloatVector.fromArray(S, b, b2 + p), fresh);
        s02 = x0.fma(y, s02);
        s12 = x1.fma(y, s12);
        s22 = x2.fma(y, s22);
        y = z.blend(FloatVector.fromArray(S, b, b3 + p), fresh);
        s03 = x0.fma(y, s03);
        s13 = x1.fma(y, s13);
        s23 = x2.fma(y, s23);
        s00.intoArray(acc, 0);
        s01.intoArray(acc, V);
        s02.intoArray(acc, 2 * V);
        s03.intoArray(acc, 3 * V);
        s10.intoArray(acc, 4 * V);
        s11.intoArray(acc, 5 * V);
        s12.intoArray(acc, 6 * V);
        s13.intoArray(acc, 7 * V);
        s20.intoArray(acc, 8 * V);
        s21.intoArray(acc, 9 * V);
        s22.intoArray(acc, 10 * V);
        s23.intoArray(acc, 11 * V);
    }

    /**
     * Rows a0..a3 of A against rows b0..b2 of B over [0, kv), counted loop: accumulator (r, j) to
     * acc[(4j + r) V ..].
     */
    private static void block4x3(int kv, float[] a, int a0, int a1, int a2, int a3,
                                 float[] b, int b0, int b1, int b2, float[] acc) {
        FloatVector s00 = FloatVector.zero(S), s10 = FloatVector.zero(S);
        FloatVector s20 = FloatVector.zero(S), s30 = FloatVector.zero(S);
        FloatVector s01 = FloatVector.zero(S), s11 = FloatVector.zero(S);
        FloatVector s21 = FloatVector.zero(S), s31 = FloatVector.zero(S);
        FloatVector s02 = FloatVector.zero(S), s12 = FloatVector.zero(S);
        FloatVector s22 = FloatVector.zero(S), s32 = FloatVector.zero(S);
        for (int p = 0; p < kv; p += V) {
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + p);
            FloatVector y1 = FloatVector.fromArray(S, b, b1 + p);
            FloatVector y2 = FloatVector.fromArray(S, b, b2 + p);
            FloatVector x = FloatVector.fromArray(S, a, a0 + p);
            s00 = x.fma(y0, s00);
            s01 = x.fma(y1, s01);
            s02 = x.fma(y2, s02);
            x = FloatVector.fromArray(S, a, a1 + p);
            s10 = x.fma(y0, s10);
            s11 = x.fma(y1, s11);
            s12 = x.fma(y2, s12);
            x = FloatVector.fromArray(S, a, a2 + p);
            s20 = x.fma(y0, s20);
            s21 = x.fma(y1, s21);
            s22 = x.fma(y2, s22);
            x = FloatVector.fromArray(S, a, a3 + p);
            s30 = x.fma(y0, s30);
            s31 = x.fma(y1, s31);
            s32 = x.fma(y2, s32);
        }
        s00.intoArray(acc, 0);
        s10.intoArray(acc, V);
        s20.intoArray(acc, 2 * V);
        s30.intoArray(acc, 3 * V);
        s01.intoArray(acc, 4 * V);
        s11.intoArray(acc, 5 * V);
        s21.intoArray(acc, 6 * V);
        s31.intoArray(acc, 7 * V);
        s02.intoArray(acc, 8 * V);
        s12.intoArray(acc, 9 * V);
        s22.intoArray(acc, 10 * V);
        s32.intoArray(acc, 11 * V);
    }

    /** {@link #block4x3} with the rolled loop, as {@link #block3x4Rolled}. */
    private static void block4x3Rolled(int kv, float[] a, int a0, int a1, int a2, int a3,
                                       float[] b, int b0, int b1, int b2, float[] acc) {
        FloatVector s00 = FloatVector.zero(S), s10 = FloatVector.zero(S);
        FloatVector s20 = FloatVector.zero(S), s30 = FloatVector.zero(S);
        FloatVector s01 = FloatVector.zero(S), s11 = FloatVector.zero(S);
        FloatVector s21 = FloatVector.zero(S), s31 = FloatVector.zero(S);
        FloatVector s02 = FloatVector.zero(S), s12 = FloatVector.zero(S);
        FloatVector s22 = FloatVector.zero(S), s32 = FloatVector.zero(S);
        for (int p = 0, step = rolledStep; p < kv; p += step) {
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + p);
            FloatVector y1 = FloatVector.fromArray(S, b, b1 + p);
            FloatVector y2 = FloatVector.fromArray(S, b, b2 + p);
            FloatVector x = FloatVector.fromArray(S, a, a0 + p);
            s00 = x.fma(y0, s00);
            s01 = x.fma(y1, s01);
            s02 = x.fma(y2, s02);
            x = FloatVector.fromArray(S, a, a1 + p);
            s10 = x.fma(y0, s10);
            s11 = x.fma(y1, s11);
            s12 = x.fma(y2, s12);
            x = FloatVector.fromArray(S, a, a2 + p);
            s20 = x.fma(y0, s20);
            s21 = x.fma(y1, s21);
            s22 = x.fma(y2, s22);
            x = FloatVector.fromArray(S, a, a3 + p);
            s30 = x.fma(y0, s30);
            s31 = x.fma(y1, s31);
            s32 = x.fma(y2, s32);
        }
        s00.intoArray(acc, 0);
        s10.intoArray(acc, V);
        s20.intoArray(acc, 2 * V);
        s30.intoArray(acc, 3 * V);
        s01.intoArray(acc, 4 * V);
        s11.intoArray(acc, 5 * V);
        s21.intoArray(acc, 6 * V);
        s31.intoArray(acc, 7 * V);
        s02.intoArray(acc, 8 * V);
        s12.intoArray(acc, 9 * V);
        s22.intoArray(acc, 10 * V);
        s32.intoArray(acc, 11 * V);
    }

    /** The k % V tail of a 4 x 3 block, as {@link #tail3x4}. */
    private static void tail4x3(int kv, int k, float[] a, int a0, int a1, int a2, int a3,
                                float[] b, int b0, int b1, int b2, float[] acc) {
        int p = k - V;
        VectorMask<Float> fresh = S.indexInRange(0, kv - p).not();
        FloatVector z = FloatVector.zero(S);
        FloatVector s00 = FloatVector.fromArray(S, acc, 0);
        FloatVector s10 = FloatVector.fromArray(S, acc, V);
        FloatVector s20 = FloatVector.fromArray(S, acc, 2 * V);
        FloatVector s30 = FloatVector.fromArray(S, acc, 3 * V);
        FloatVector s01 = FloatVector.fromArray(S, acc, 4 * V);
        FloatVector s11 = FloatVector.fromArray(S, acc, 5 * V);
        FloatVector s21 = FloatVector.fromArray(S, acc, 6 * V);
        FloatVector s31 = FloatVector.fromArray(S, acc, 7 * V);
        FloatVector s02 = FloatVector.fromArray(S, acc, 8 * V);
        FloatVector s12 = FloatVector.fromArray(S, acc, 9 * V);
        FloatVector s22 = FloatVector.fromArray(S, acc, 10 * V);
        FloatVector s32 = FloatVector.fromArray(S, acc, 11 * V);
        FloatVector y0 = z.blend(FloatVector.fromArray(S, b, b0 + p), fresh);
        FloatVector y1 = z.blend(FloatVector.fromArray(S, b, b1 + p), fresh);
        FloatVector y2 = z.blend(FloatVector.fromArray(S, b, b2 + p), fresh);
        FloatVector x = z.blend(FloatVector.fromArray(S, a, a0 + p), fresh);
        s00 = x.fma(y0, s00);
        s01 = x.fma(y1, s01);
        s02 = x.fma(y2, s02);
        x = z.blend(FloatVector.fromArray(S, a, a1 + p), fresh);
        s10 = x.fma(y0, s10);
        s11 = x.fma(y1, s11);
        s12 = x.fma(y2, s12);
        x = z.blend(FloatVector.fromArray(S, a, a2 + p), fresh);
        s20 = x.fma(y0, s20);
        s21 = x.fma(y1, s21);
        s22 = x.fma(y2, s22);
        x = z.blend(FloatVector.fromArray(S, a, a3 + p), fresh);
        s30 = x.fma(y0, s30);
        s31 = x.fma(y1, s31);
        s32 = x.fma(y2, s32);
        s00.intoArray(acc, 0);
        s10.intoArray(acc, V);
        s20.intoArray(acc, 2 * V);
        s30.intoArray(acc, 3 * V);
        s01.intoArray(acc, 4 * V);
        s11.intoArray(acc, 5 * V);
        s21.intoArray(acc, 6 * V);
        s31.intoArray(acc, 7 * V);
        s02.intoArray(acc, 8 * V);
        s12.intoArray(acc, 9 * V);
        s22.intoArray(acc, 10 * V);
        s32.intoArray(acc, 11 * V);
    }

    /**
     * The lane sums of w, x, y, z in one vector: w's at lane 0, x's at V/2, y's at V/4, z's at 3V/4.
     * Fold 1 puts the halves of w and x side by side and adds them (w at the lower, x at the upper
     * half), the same for y and z; fold 2 does the same with quarters; two in-vector steps finish.
     */
    private static FloatVector sum4(FloatVector w, FloatVector x, FloatVector y, FloatVector z) {
        FloatVector wx = fold(w, x, UPPER_HALF, SWAP_HALF);
        FloatVector yz = fold(y, z, UPPER_HALF, SWAP_HALF);
        FloatVector v = fold(wx, yz, UPPER_QUARTER, SWAP_QUARTER);
        if (V >= 8) v = v.add(v.rearrange(SWAP_8TH));
        if (V >= 16) v = v.add(v.rearrange(SWAP_16TH));
        return v;
    }

    /**
     * Lane i of the result is p[i] + p[i ^ h] where lane i is not in {@code upper}, q[i] + q[i ^ h]
     * where it is (h the shuffle's distance): two blends, one shuffle and one add.
     */
    private static FloatVector fold(FloatVector p, FloatVector q, VectorMask<Float> upper, VectorShuffle<Float> swap) {
        return p.blend(q, upper).add(q.blend(p, upper).rearrange(swap));
    }

    /**
     * Up to four cells of C, {@code step} apart from {@code at}, from the four accumulators at
     * acc[off ..] (a row of C for 3 x 4 blocks, step 1; a column for 4 x 3, step ldc).
     */
    private static void store4(float[] acc, int off, float[] c, int at, int step, int count, float alpha, float beta) {
        FloatVector v = sum4(FloatVector.fromArray(S, acc, off), FloatVector.fromArray(S, acc, off + V),
                FloatVector.fromArray(S, acc, off + 2 * V), FloatVector.fromArray(S, acc, off + 3 * V));
        // Lanes leave as floats: a vector passed to a call C2 does not inline gets boxed.
        float s0 = v.lane(0), s1 = v.lane(V / 2), s2 = v.lane(V / 4), s3 = v.lane(3 * V / 4);
        c[at] = Tiles.update(s0, alpha, beta, c[at]);
        if (count > 1) c[at + step] = Tiles.update(s1, alpha, beta, c[at + step]);
        if (count > 2) c[at + 2 * step] = Tiles.update(s2, alpha, beta, c[at + 2 * step]);
        if (count > 3) c[at + 3 * step] = Tiles.update(s3, alpha, beta, c[at + 3 * step]);
    }

    private static int roundUp(int x, int step) {
        return (x + step - 1) / step * step;
    }

    /** The shuffle taking lane i to lane i ^ half (identity when half is 0). */
    private static VectorShuffle<Float> swap(int half) {
        int[] idx = new int[V];
        for (int i = 0; i < V; i++) idx[i] = i ^ half;
        return VectorShuffle.fromArray(S, idx, 0);
    }

    /** The lanes whose index has {@code bit} set. */
    private static VectorMask<Float> lanesWithBit(int bit) {
        boolean[] on = new boolean[V];
        for (int i = 0; i < V; i++) on[i] = (i & bit) != 0;
        return VectorMask.fromArray(S, on, 0);
    }
}
