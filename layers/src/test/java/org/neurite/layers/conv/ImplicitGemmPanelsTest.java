package org.neurite.layers.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.neurite.runtime.Rng;

/**
 * The implicit GEMM's kernels with 4-row panels (AVX2's for 16 and 32 filters), 5-row panels
 * (AVX2's) and 8-row panels (AVX-512's), whatever this machine picks: all give the same bits, and match a double-precision product, for the
 * forward tiles ({@code multiply}), the tiles written into y with bias and ReLU
 * ({@code multiplyRows}) and the filter gradient; row counts that end in short panels included.
 */
class ImplicitGemmPanelsTest {
    private static final int[] HEIGHTS = {4, 5, 8};

    @ParameterizedTest(name = "m {0}, k {1}")
    @CsvSource({"16, 9", "13, 144", "7, 300", "64, 27", "3, 50", "32, 288", "6, 20"})
    void panelHeightsGiveTheSameBits(int m, int k) {
        assumeTrue(ImplicitGemm.AVAILABLE, "the Vector API module is not loaded (run with --add-modules jdk.incubator.vector)");
        int v = ImplicitGemmVector.V, n = 4 * v, segments = n / v;
        Rng rng = new Rng(31L * m + k);
        float[] a = uniform(rng, m * k);
        int[] rowOff = new int[k];
        for (int p = 0; p < k; p++) rowOff[p] = rng.nextInt(400);           // taps anywhere in src
        int[] segStart = new int[segments];
        for (int t = 0; t < segments; t++) segStart[t] = t * (v + 3);       // gaps between segments
        float[] src = uniform(rng, 400 + segments * (v + 3) + n);
        float[] bias = uniform(rng, m);
        float[][] y = new float[HEIGHTS.length][], rows = new float[HEIGHTS.length][];
        for (int h = 0; h < HEIGHTS.length; h++) {
            int mr = HEIGHTS[h], height = Math.ceilDiv(m, mr) * mr;
            float[] ap = new float[height * k];
            ImplicitGemm.pack(mr, m, k, a, 0, ap, 0);
            y[h] = new float[height * n];
            ImplicitGemmVector.multiply(mr, m, n, k, ap, 0, src, 0, rowOff, 0, y[h], 0, n);
            rows[h] = new float[m * n];
            ImplicitGemmVector.multiplyRows(mr, m, segments, k, ap, 0, src, 0, segStart, rowOff, rows[h], 0, n, bias, 0, true);
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double ref = 0, refRows = bias[i];
                for (int p = 0; p < k; p++) {
                    ref += (double) a[i * k + p] * src[rowOff[p] + j];
                    refRows += (double) a[i * k + p] * src[segStart[j / v] + j % v + rowOff[p]];
                }
                String at = "(" + i + ", " + j + ")";
                for (int h = 0; h + 1 < HEIGHTS.length; h++) {
                    String heights = ": " + HEIGHTS[h] + "-row vs 8-row panels";
                    assertEquals(y[h][i * n + j], y[HEIGHTS.length - 1][i * n + j], 0f, "multiply " + at + heights);
                    assertEquals(rows[h][i * n + j], rows[HEIGHTS.length - 1][i * n + j], 0f, "multiplyRows " + at + heights);
                }
                assertEquals(ref, y[1][i * n + j], 1e-5 * Math.sqrt(k), "multiply " + at);
                assertEquals(Math.max(refRows, 0), rows[1][i * n + j], 1e-5 * Math.sqrt(k), "multiplyRows " + at);
            }
        }
    }

    @ParameterizedTest(name = "m {0}, k {1}")
    @CsvSource({"16, 16", "13, 32", "64, 64", "5, 3"})
    void evenlySpacedRowsGiveTheSameBitsAsTheirOffsets(int m, int k) {
        assumeTrue(ImplicitGemm.AVAILABLE, "the Vector API module is not loaded (run with --add-modules jdk.incubator.vector)");
        int v = ImplicitGemmVector.V, n = 6 * v, ldb = n + 16;        // Winograd's V_xi: rows ldb apart
        Rng rng = new Rng(17L * m + k);
        float[] a = uniform(rng, m * k), src = uniform(rng, 7 + k * ldb);
        int[] rowOff = new int[k];
        for (int p = 0; p < k; p++) rowOff[p] = p * ldb;
        for (int mr : HEIGHTS) {
            float[] ap = new float[Math.ceilDiv(m, mr) * mr * k];
            ImplicitGemm.pack(mr, m, k, a, 0, ap, 0);
            float[] looked = new float[ap.length / k * n], spaced = new float[looked.length];
            ImplicitGemmVector.multiply(mr, m, n, k, ap, 0, src, 7, rowOff, 0, looked, 0, n);
            ImplicitGemmVector.multiply(mr, m, n, k, ap, 0, src, 7, null, ldb, spaced, 0, n);
            for (int i = 0; i < m * n; i++) assertEquals(looked[i], spaced[i], 0f, mr + "-row panels, element " + i);
            double ref = 0;
            for (int p = 0; p < k; p++) ref += (double) a[(m - 1) * k + p] * src[7 + p * ldb + n - 1];
            assertEquals(ref, spaced[(m - 1) * n + n - 1], 1e-5 * Math.sqrt(k), "the last element against the double product");
        }
    }

    // an odd number of vectors of filters takes one-vector tiles of 16 taps for the last (144 = 9 x 16, 27 = 16 + 11)
    @ParameterizedTest(name = "q {0}, pixels {1}, filters {2} x V")
    @CsvSource({"27, 64, 2", "144, 80, 4", "13, 33, 2", "7, 256, 4", "576, 64, 4", "144, 80, 1", "27, 64, 3", "13, 33, 1", "16, 50, 1"})
    void filterGradientPanelHeightsGiveTheSameBits(int q, int pixels, int vectors) {
        assumeTrue(ImplicitGemm.AVAILABLE, "the Vector API module is not loaded (run with --add-modules jdk.incubator.vector)");
        int kk = vectors * ImplicitGemmVector.V;
        Rng rng = new Rng(7L * q + pixels);
        int[] rowOff = new int[q];
        for (int j = 0; j < q; j++) rowOff[j] = rng.nextInt(300);
        float[] src = uniform(rng, 300 + pixels), gt = uniform(rng, pixels * kk), start = uniform(rng, q * kk);
        float[][] dwT = new float[HEIGHTS.length][];
        for (int h = 0; h < HEIGHTS.length; h++) {
            dwT[h] = start.clone();
            ImplicitGemmVector.filterGradient(HEIGHTS[h], q, kk, pixels, src, 0, rowOff, gt, 0, dwT[h], 0);
        }
        for (int j = 0; j < q; j++) {
            for (int c = 0; c < kk; c++) {
                double ref = 0;
                for (int p = 0; p < pixels; p++) ref += (double) src[rowOff[j] + p] * gt[p * kk + c];
                String at = "(" + j + ", " + c + ")";
                int last = HEIGHTS.length - 1;
                for (int h = 0; h < last; h++) {
                    assertEquals(dwT[h][j * kk + c], dwT[last][j * kk + c], 0f, "dW^T " + at + ": " + HEIGHTS[h] + "-row vs 8-row tiles");
                }
                assertEquals(start[j * kk + c] + ref, dwT[last][j * kk + c], 1e-5 * Math.sqrt(pixels), "dW^T " + at);
            }
        }
    }

    @Test
    void panelHeightIsFourOnlyWhereItComputesFarFewerRows() {
        assumeTrue(ImplicitGemm.AVAILABLE, "the Vector API module is not loaded (run with --add-modules jdk.incubator.vector)");
        if (ImplicitGemm.mr() == 5) {       // 256-bit: 16 = 5+5+5+(4) computed 19 rows
            assertEquals(4, ImplicitGemm.panelHeight(16));
            assertEquals(5, ImplicitGemm.panelHeight(6));       // 9 -> 8 rows: not enough
            assertEquals(5, ImplicitGemm.panelHeight(32));      // 34 -> 32 rows: less than 4-row tiles cost
            assertEquals(5, ImplicitGemm.panelHeight(64));      // 60 + 4: nothing wasted
            assertEquals(5, ImplicitGemm.panelHeight(10));
            assertEquals(16, ImplicitGemm.rows(16));
        } else {                            // 512-bit: 8-row panels hold 16, 32 and 64 exactly
            assertEquals(8, ImplicitGemm.mr());
            for (int m : new int[] {3, 6, 12, 16, 20, 32, 64}) {
                assertEquals(8, ImplicitGemm.panelHeight(m), m + " rows");  // 4-row panels never compute fewer
            }
        }
    }

    private static float[] uniform(Rng rng, int size) {
        float[] x = new float[size];
        rng.uniform(x, 0, size, -1f, 1f);
        return x;
    }
}
