package org.neurite.runtime.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API micro-kernel for machines with 16 vector registers (x86 with AVX2 and no AVX-512):
 * a 5 x 2V tile, 10 accumulators. {@link VectorMicroKernel}'s 6 x 2V tile needs 12 accumulators,
 * 2 B vectors and a broadcast, 15 of the 16 registers; C2 then spills one accumulator to the stack
 * every iteration (a store and a reload in an FMA chain) and the kernel runs at 38 GFLOP/s on one
 * AMD EPYC core here, against 89 for this one (data in cache; OpenBLAS 0.3.21 gets 72 on the whole
 * of W5 at n = 1024). Each element of C is the same chain of fused multiply-adds as with the
 * 6-row tile, so both kernels give the same bits.
 * <p>
 * Chosen by {@link VectorMicroKernel#create()}; like it, it is loaded only when the
 * jdk.incubator.vector module is present.
 */
final class FiveRowVectorKernel implements MicroKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    private static final int MR = 5;
    private static final int NR = 2 * V;

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public void tile(int kc, float[] ap, int ao, float[] bp, int bo, int bStride,
                     float[] c, int co, int ldc, float alpha, float beta) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + V);
            FloatVector a = FloatVector.broadcast(S, ap[ao]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ao + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ao + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[ao + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            ao += MR;
            bo += bStride;
        }
        // Straight-line stores, as in VectorMicroKernel (a helper here would box its vector).
        FloatVector va = FloatVector.broadcast(S, alpha);
        int r0 = co, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc;
        if (beta == 0) {
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
            c40.mul(va).add(FloatVector.fromArray(S, c, r4).mul(vb)).intoArray(c, r4);
            c41.mul(va).add(FloatVector.fromArray(S, c, r4 + V).mul(vb)).intoArray(c, r4 + V);
        }
    }

    @Override
    public int shortMr() {
        return 4;
    }

    /** 4 x 2V: a bottom-edge panel of at most 4 rows (m = 16 leaves 1: 5 + 5 + 5 + 1). */
    @Override
    public void shortTile(int kc, float[] ap, int ao, float[] bp, int bo, int bStride,
                          float[] c, int co, int ldc, float alpha, float beta) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + V);
            FloatVector a = FloatVector.broadcast(S, ap[ao]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ao + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ao + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            ao += MR;
            bo += bStride;
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

    /** 5 x V: a right-edge panel of at most V columns costs half a full tile. */
    @Override
    public void narrowTile(int kc, float[] ap, int ao, float[] bp, int bo, int bStride,
                           float[] c, int co, int ldc, float alpha, float beta) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector a = FloatVector.broadcast(S, ap[ao]);
            c00 = a.fma(b0, c00);
            a = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = a.fma(b0, c10);
            a = FloatVector.broadcast(S, ap[ao + 2]);
            c20 = a.fma(b0, c20);
            a = FloatVector.broadcast(S, ap[ao + 3]);
            c30 = a.fma(b0, c30);
            a = FloatVector.broadcast(S, ap[ao + 4]);
            c40 = a.fma(b0, c40);
            ao += MR;
            bo += bStride;
        }
        FloatVector va = FloatVector.broadcast(S, alpha);
        int r0 = co, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc;
        if (beta == 0) {
            c00.mul(va).intoArray(c, r0);
            c10.mul(va).intoArray(c, r1);
            c20.mul(va).intoArray(c, r2);
            c30.mul(va).intoArray(c, r3);
            c40.mul(va).intoArray(c, r4);
        } else {
            FloatVector vb = FloatVector.broadcast(S, beta);
            c00.mul(va).add(FloatVector.fromArray(S, c, r0).mul(vb)).intoArray(c, r0);
            c10.mul(va).add(FloatVector.fromArray(S, c, r1).mul(vb)).intoArray(c, r1);
            c20.mul(va).add(FloatVector.fromArray(S, c, r2).mul(vb)).intoArray(c, r2);
            c30.mul(va).add(FloatVector.fromArray(S, c, r3).mul(vb)).intoArray(c, r3);
            c40.mul(va).add(FloatVector.fromArray(S, c, r4).mul(vb)).intoArray(c, r4);
        }
    }

    /** See {@link VectorDots}. */
    @Override
    public void dots(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        VectorDots.dots(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
}
