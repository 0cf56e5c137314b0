package org.neurite.runtime.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API micro-kernel for machines with 32 vector registers and 512-bit vectors (x86
 * AVX-512): an 8 x 2V tile, 16 accumulators, 2 B vectors and a broadcast (19 of 32 registers).
 * Against {@link VectorMicroKernel}'s 6 x 2V it loads 10 values per 16 FMAs instead of 8 per 12
 * and spends the loop's bookkeeping (index updates, bounds checks, which C2 does not unroll away)
 * on a third more FMAs. Each element of C is the same chain of fused multiply-adds as with the
 * other tiles, so every kernel gives the same bits.
 * <p>
 * Chosen by {@link VectorMicroKernel#create()}; loaded only when jdk.incubator.vector is present.
 */
final class EightRowVectorKernel implements MicroKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    private static final int MR = 8;
    private static final int NR = 2 * V;

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    // Straight-line code as in VectorMicroKernel: a helper method could miss C2's inlining budget
    // and box the vectors it is passed (shared/CPU-NOTES.md).
    //
    // One method per store, each with its own copy of the loop: with both stores in one method,
    // C2 (JDK 25, after a training run's profile) sometimes spilled an accumulator to the stack
    // inside the loop, a 64-byte store and reload per iteration. Whether that slot straddles two
    // cache lines depends on the stack depth, so the same kernel ran at 116 or 69 GFLOP/s by call
    // path, and W5 at 105 or 62 in one JVM out of two after W4 (AMD EPYC Zen 4, docs/PERFORMANCE.md).
    @Override
    public void tile(int kc, float[] ap, int ao, float[] bp, int bo, int bStride,
                     float[] c, int co, int ldc, float alpha, float beta) {
        if (beta == 0) {
            overwrite(kc, ap, ao, bp, bo, bStride, c, co, ldc, alpha);
        } else {
            accumulate(kc, ap, ao, bp, bo, bStride, c, co, ldc, alpha, beta);
        }
    }

    /** C = alpha * A B for one tile. */
    private static void overwrite(int kc, float[] ap, int ao, float[] bp, int bo, int bStride,
                                  float[] c, int co, int ldc, float alpha) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int ai = ao + p * MR, bi = bo + p * bStride;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + V);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, ap[ai + 6]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, ap[ai + 7]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
        }
        FloatVector va = FloatVector.broadcast(S, alpha);
        int r0 = co, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc, r6 = r5 + ldc, r7 = r6 + ldc;
        c00.mul(va).intoArray(c, r0);
        c01.mul(va).intoArray(c, r0 + V);
        c10.mul(va).intoArray(c, r1);
        c11.mul(va).intoArray(c, r1 + V);
        c20.mul(va).intoArray(c, r2);
        c21.mul(va).intoArray(c, r2 + V);
        c30.mul(va).intoArray(c, r3);
        c31.mul(va).intoArray(c, r3 + V);
        c40.mul(va).intoArray(c, r4);
        c41.mul(va).intoArray(c, r4 + V);
        c50.mul(va).intoArray(c, r5);
        c51.mul(va).intoArray(c, r5 + V);
        c60.mul(va).intoArray(c, r6);
        c61.mul(va).intoArray(c, r6 + V);
        c70.mul(va).intoArray(c, r7);
        c71.mul(va).intoArray(c, r7 + V);
    }

    /** C = alpha * A B + beta * C for one tile. */
    private static void accumulate(int kc, float[] ap, int ao, float[] bp, int bo, int bStride,
                                   float[] c, int co, int ldc, float alpha, float beta) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int ai = ao + p * MR, bi = bo + p * bStride;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + V);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, ap[ai + 6]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, ap[ai + 7]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
        }
        FloatVector va = FloatVector.broadcast(S, alpha);
        int r0 = co, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc, r6 = r5 + ldc, r7 = r6 + ldc;
        FloatVector vb = FloatVector.broadcast(S, beta);
        c00.mul(va).add(FloatVector.fromArray(S, c, r0).mul(vb)).intoArray(c, r0);
        c01.mul(va).add(FloatVector.fromArray(S, c, r0 + V).mul(vb)).intoArray(c, r0 + V);
        c10.mul(va).add(FloatVector.fromArray(S, c, r1).mul(vb)).intoArray(c, r1);
        c11.mul(va).add(FloatVector.fromArray(S, c, r1 + V).mul(vb)).intoArray(c, r1 + V);
        c20.mul(va).add(FloatVector.fromArray(S, c, r2).mul(vb)).intoArray(c, r2);
        c21.mul(va).add(FloatVector.fromArray(S, c, r2 + V).mul(vb)).intoArray(c, r2 + V);
        c30.mul(va).add(FloatVector.fromArray(S, c, r3).mul(vb)).intoArray(c, r3);
        c31.mul(va).add(FloatVector.fromArray(S, c, r3 + V).mul(vb)).intoArray(c, r3 + V);
        c40.mul(va).add(FloatVector.fromArray(S, c, r4).mul(vb)).intoArray(c, r4);
        c41.mul(va).add(FloatVector.fromArray(S, c, r4 + V).mul(vb)).intoArray(c, r4 + V);
        c50.mul(va).add(FloatVector.fromArray(S, c, r5).mul(vb)).intoArray(c, r5);
        c51.mul(va).add(FloatVector.fromArray(S, c, r5 + V).mul(vb)).intoArray(c, r5 + V);
        c60.mul(va).add(FloatVector.fromArray(S, c, r6).mul(vb)).intoArray(c, r6);
        c61.mul(va).add(FloatVector.fromArray(S, c, r6 + V).mul(vb)).intoArray(c, r6 + V);
        c70.mul(va).add(FloatVector.fromArray(S, c, r7).mul(vb)).intoArray(c, r7);
        c71.mul(va).add(FloatVector.fromArray(S, c, r7 + V).mul(vb)).intoArray(c, r7 + V);
    }

    @Override
    public int shortMr() {
        return 4;
    }

    /** 4 x 2V: a bottom-edge panel of at most 4 rows (m = 20 leaves 4 of 8) costs half a full tile. */
    @Override
    public void shortTile(int kc, float[] ap, int ao, float[] bp, int bo, int bStride,
                     float[] c, int co, int ldc, float alpha, float beta) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int ai = ao + p * MR, bi = bo + p * bStride;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + V);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
        }
        FloatVector va = FloatVector.broadcast(S, alpha);
        int r0 = co, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        if (beta == 0) {
            c00.mul(va).intoArray(c, r0);
            c01.mul(va).intoArray(c, r0 + V);
            c10.mul(va).intoArray(c, r1);
            c11.mul(va).intoArray(c, r1 + V);
            c20.mul(va).intoArray(c, r2);
            c21.mul(va).intoArray(c, r2 + V);
            c30.mul(va).intoArray(c, r3);
            c31.mul(va).intoArray(c, r3 + V);
        } else {
            FloatVector vb = FloatVector.broadcast(S, beta);
            c00.mul(va).add(FloatVector.fromArray(S, c, r0).mul(vb)).intoArray(c, r0);
            c01.mul(va).add(FloatVector.fromArray(S, c, r0 + V).mul(vb)).intoArray(c, r0 + V);
            c10.mul(va).add(FloatVector.fromArray(S, c, r1).mul(vb)).intoArray(c, r1);
            c11.mul(va).add(FloatVector.fromArray(S, c, r1 + V).mul(vb)).intoArray(c, r1 + V);
            c20.mul(va).add(FloatVector.fromArray(S, c, r2).mul(vb)).intoArray(c, r2);
            c21.mul(va).add(FloatVector.fromArray(S, c, r2 + V).mul(vb)).intoArray(c, r2 + V);
            c30.mul(va).add(FloatVector.fromArray(S, c, r3).mul(vb)).intoArray(c, r3);
            c31.mul(va).add(FloatVector.fromArray(S, c, r3 + V).mul(vb)).intoArray(c, r3 + V);
        }
    }

    @Override
    public int narrowNr() {
        return V;
    }

    /** 8 x V: a right-edge panel of at most V columns costs half a full tile. */
    @Override
    public void narrowTile(int kc, float[] ap, int ao, float[] bp, int bo, int bStride,
                     float[] c, int co, int ldc, float alpha, float beta) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int ai = ao + p * MR, bi = bo + p * bStride;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a.fma(b0, c10);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a.fma(b0, c20);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a.fma(b0, c30);
            a = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = a.fma(b0, c40);
            a = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = a.fma(b0, c50);
            a = FloatVector.broadcast(S, ap[ai + 6]);
            c60 = a.fma(b0, c60);
            a = FloatVector.broadcast(S, ap[ai + 7]);
            c70 = a.fma(b0, c70);
        }
        FloatVector va = FloatVector.broadcast(S, alpha);
        int r0 = co, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc, r6 = r5 + ldc, r7 = r6 + ldc;
        if (beta == 0) {
            c00.mul(va).intoArray(c, r0);
            c10.mul(va).intoArray(c, r1);
            c20.mul(va).intoArray(c, r2);
            c30.mul(va).intoArray(c, r3);
            c40.mul(va).intoArray(c, r4);
            c50.mul(va).intoArray(c, r5);
            c60.mul(va).intoArray(c, r6);
            c70.mul(va).intoArray(c, r7);
        } else {
            FloatVector vb = FloatVector.broadcast(S, beta);
            c00.mul(va).add(FloatVector.fromArray(S, c, r0).mul(vb)).intoArray(c, r0);
            c10.mul(va).add(FloatVector.fromArray(S, c, r1).mul(vb)).intoArray(c, r1);
            c20.mul(va).add(FloatVector.fromArray(S, c, r2).mul(vb)).intoArray(c, r2);
            c30.mul(va).add(FloatVector.fromArray(S, c, r3).mul(vb)).intoArray(c, r3);
            c40.mul(va).add(FloatVector.fromArray(S, c, r4).mul(vb)).intoArray(c, r4);
            c50.mul(va).add(FloatVector.fromArray(S, c, r5).mul(vb)).intoArray(c, r5);
            c60.mul(va).add(FloatVector.fromArray(S, c, r6).mul(vb)).intoArray(c, r6);
            c70.mul(va).add(FloatVector.fromArray(S, c, r7).mul(vb)).intoArray(c, r7);
        }
    }

    /** See {@link VectorDots}. */
    @Override
    public void dots(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        VectorDots.dots(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
}
