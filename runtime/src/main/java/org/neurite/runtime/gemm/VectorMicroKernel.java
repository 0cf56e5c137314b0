package org.neurite.runtime.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API micro-kernel: a 6 x 2V tile (V = lanes of the preferred species, 16 with AVX-512),
 * 12 vector accumulators. This class and {@link VectorDots} (its dot-product path) are the only
 * ones here that name {@code jdk.incubator.vector}; load them through {@link #create()} and only
 * when that module is present.
 * <p>
 * Kept deliberately plain: more than ~12 live accumulators, or hand-unrolling the p loop, makes C2
 * box vectors on the heap inside the loop and run 3-5x slower (shared/CPU-NOTES.md).
 */
final class VectorMicroKernel implements MicroKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    private static final int MR = 6;
    private static final int NR = 2 * V;

    private VectorMicroKernel() { }

    /**
     * The kernel for this machine; call only when the jdk.incubator.vector module is present. With
     * 256-bit vectors (x86 AVX2: 16 registers) the 6-row tile spills, so the 5-row one is used; with
     * 512-bit ones (AVX-512: 32 registers) the 8-row tile has room and runs W5 about a quarter faster.
     */
    static MicroKernel create() {
        return S.vectorBitSize() == 256 ? new FiveRowVectorKernel() : new EightRowVectorKernel();
    }

    /** The 6 x 2V kernel whatever the machine (tests compare it with the 5-row one). */
    static MicroKernel sixRows() {
        return new VectorMicroKernel();
    }

    /** Lanes of the species the kernel runs on (for reports). */
    static int lanes() {
        return V;
    }

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
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
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
            a = FloatVector.broadcast(S, ap[ao + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            ao += MR;
            bo += bStride;
        }
        // Straight-line stores: a helper method here can miss C2's inlining budget, and a vector
        // passed to a call that is not inlined gets boxed (shared/CPU-NOTES.md). Scalars enter
        // as broadcast vectors: v.mul(float) makes a virtual call C2 does not always inline.
        FloatVector va = FloatVector.broadcast(S, alpha);
        int c1 = co + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
        if (beta == 0) {
            c00.mul(va).intoArray(c, co);
            c01.mul(va).intoArray(c, co + V);
            c10.mul(va).intoArray(c, c1);
            c11.mul(va).intoArray(c, c1 + V);
            c20.mul(va).intoArray(c, c2);
            c21.mul(va).intoArray(c, c2 + V);
            c30.mul(va).intoArray(c, c3);
            c31.mul(va).intoArray(c, c3 + V);
            c40.mul(va).intoArray(c, c4);
            c41.mul(va).intoArray(c, c4 + V);
            c50.mul(va).intoArray(c, c5);
            c51.mul(va).intoArray(c, c5 + V);
        } else {
            FloatVector vb = FloatVector.broadcast(S, beta);
            c00.mul(va).add(FloatVector.fromArray(S, c, co).mul(vb)).intoArray(c, co);
            c01.mul(va).add(FloatVector.fromArray(S, c, co + V).mul(vb)).intoArray(c, co + V);
            c10.mul(va).add(FloatVector.fromArray(S, c, c1).mul(vb)).intoArray(c, c1);
            c11.mul(va).add(FloatVector.fromArray(S, c, c1 + V).mul(vb)).intoArray(c, c1 + V);
            c20.mul(va).add(FloatVector.fromArray(S, c, c2).mul(vb)).intoArray(c, c2);
            c21.mul(va).add(FloatVector.fromArray(S, c, c2 + V).mul(vb)).intoArray(c, c2 + V);
            c30.mul(va).add(FloatVector.fromArray(S, c, c3).mul(vb)).intoArray(c, c3);
            c31.mul(va).add(FloatVector.fromArray(S, c, c3 + V).mul(vb)).intoArray(c, c3 + V);
            c40.mul(va).add(FloatVector.fromArray(S, c, c4).mul(vb)).intoArray(c, c4);
            c41.mul(va).add(FloatVector.fromArray(S, c, c4 + V).mul(vb)).intoArray(c, c4 + V);
            c50.mul(va).add(FloatVector.fromArray(S, c, c5).mul(vb)).intoArray(c, c5);
            c51.mul(va).add(FloatVector.fromArray(S, c, c5 + V).mul(vb)).intoArray(c, c5 + V);
        }
    }

    @Override
    public int shortMr() {
        return 4;
    }

    /** 4 x 2V: a bottom-edge panel of at most 4 rows costs two thirds of a full tile. */
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
            ao += MR;       // the panel keeps its 6-row layout
            bo += bStride;
        }
        FloatVector va = FloatVector.broadcast(S, alpha);
        int c1 = co + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        if (beta == 0) {
            c00.mul(va).intoArray(c, co);
            c01.mul(va).intoArray(c, co + V);
            c10.mul(va).intoArray(c, c1);
            c11.mul(va).intoArray(c, c1 + V);
            c20.mul(va).intoArray(c, c2);
            c21.mul(va).intoArray(c, c2 + V);
            c30.mul(va).intoArray(c, c3);
            c31.mul(va).intoArray(c, c3 + V);
        } else {
            FloatVector vb = FloatVector.broadcast(S, beta);
            c00.mul(va).add(FloatVector.fromArray(S, c, co).mul(vb)).intoArray(c, co);
            c01.mul(va).add(FloatVector.fromArray(S, c, co + V).mul(vb)).intoArray(c, co + V);
            c10.mul(va).add(FloatVector.fromArray(S, c, c1).mul(vb)).intoArray(c, c1);
            c11.mul(va).add(FloatVector.fromArray(S, c, c1 + V).mul(vb)).intoArray(c, c1 + V);
            c20.mul(va).add(FloatVector.fromArray(S, c, c2).mul(vb)).intoArray(c, c2);
            c21.mul(va).add(FloatVector.fromArray(S, c, c2 + V).mul(vb)).intoArray(c, c2 + V);
            c30.mul(va).add(FloatVector.fromArray(S, c, c3).mul(vb)).intoArray(c, c3);
            c31.mul(va).add(FloatVector.fromArray(S, c, c3 + V).mul(vb)).intoArray(c, c3 + V);
        }
    }

    @Override
    public int narrowNr() {
        return V;
    }

    /** 6 x V: a right-edge panel of at most V columns costs half a full tile. */
    @Override
    public void narrowTile(int kc, float[] ap, int ao, float[] bp, int bo, int bStride,
                           float[] c, int co, int ldc, float alpha, float beta) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S);
        FloatVector c3 = FloatVector.zero(S), c4 = FloatVector.zero(S), c5 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            c0 = FloatVector.broadcast(S, ap[ao]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, ap[ao + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, ap[ao + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, ap[ao + 3]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, ap[ao + 4]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, ap[ao + 5]).fma(b0, c5);
            ao += MR;
            bo += bStride;
        }
        FloatVector va = FloatVector.broadcast(S, alpha);
        int r1 = co + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc;
        if (beta == 0) {
            c0.mul(va).intoArray(c, co);
            c1.mul(va).intoArray(c, r1);
            c2.mul(va).intoArray(c, r2);
            c3.mul(va).intoArray(c, r3);
            c4.mul(va).intoArray(c, r4);
            c5.mul(va).intoArray(c, r5);
        } else {
            FloatVector vb = FloatVector.broadcast(S, beta);
            c0.mul(va).add(FloatVector.fromArray(S, c, co).mul(vb)).intoArray(c, co);
            c1.mul(va).add(FloatVector.fromArray(S, c, r1).mul(vb)).intoArray(c, r1);
            c2.mul(va).add(FloatVector.fromArray(S, c, r2).mul(vb)).intoArray(c, r2);
            c3.mul(va).add(FloatVector.fromArray(S, c, r3).mul(vb)).intoArray(c, r3);
            c4.mul(va).add(FloatVector.fromArray(S, c, r4).mul(vb)).intoArray(c, r4);
            c5.mul(va).add(FloatVector.fromArray(S, c, r5).mul(vb)).intoArray(c, r5);
        }
    }

    /** See {@link VectorDots}. */
    @Override
    public void dots(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        VectorDots.dots(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
}
