package org.neurite.models.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurite.models.data.DataLoader;
import org.neurite.models.data.Dataset;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

class AugmentTest {
    private static final int C = 2, H = 3, W = 4;

    /** src[c, i, j] = 100 c + 10 i + j + 1 (never 0, so padding is recognisable). */
    private static float[] sample() {
        float[] s = new float[C * H * W];
        for (int c = 0; c < C; c++) for (int i = 0; i < H; i++) for (int j = 0; j < W; j++) s[(c * H + i) * W + j] = 100 * c + 10 * i + j + 1;
        return s;
    }

    @Test void normaliseOnlyIsDeterministicAndExact() {
        Augment a = Augment.builder().normalize(new float[] {1f, 101f}, new float[] {2f, 4f}).build();
        float[] out = new float[C * H * W];
        a.apply(sample(), 0, out, 0, C, H, W, null);  // draws nothing, so no Rng is needed
        // channel 0: (x - 1) / 2 at (1, 2): x = 13 -> 6; channel 1: (x - 101) / 4 at (2, 3): x = 124 -> 5.75
        assertEquals(6f, out[1 * W + 2], 0f);
        assertEquals(5.75f, out[(H + 2) * W + 3], 0f);
        assertEquals(false, a.isRandom());
    }

    @Test void everyOutputIsAPaddedCropOrItsMirror() {
        int pad = 1;
        Augment a = Augment.builder().randomCrop(pad).horizontalFlip().build();
        float[] src = sample();
        float[] out = new float[src.length];
        Rng rng = new Rng(11);
        boolean[][][] seen = new boolean[2 * pad + 1][2 * pad + 1][2];
        for (int t = 0; t < 400; t++) {
            a.apply(src, 0, out, 0, C, H, W, rng);
            int[] m = match(src, out, pad);
            assertTrue(m != null, "draw " + t + " is no crop/flip of the input");
            seen[m[0] + pad][m[1] + pad][m[2]] = true;
        }
        for (boolean[][] a2 : seen) for (boolean[] a1 : a2) for (boolean b : a1) assertTrue(b, "some crop or flip never drawn");
    }

    /** The (dy, dx, flipped) for which out equals the reference crop of src, or null. */
    private static int[] match(float[] src, float[] out, int pad) {
        for (int dy = -pad; dy <= pad; dy++) {
            for (int dx = -pad; dx <= pad; dx++) {
                for (int f = 0; f < 2; f++) {
                    boolean ok = true;
                    for (int c = 0; c < C && ok; c++) {
                        for (int i = 0; i < H && ok; i++) {
                            for (int j = 0; j < W && ok; j++) {
                                int sy = i + dy, sx = (f == 1 ? W - 1 - j : j) + dx;
                                float want = sy < 0 || sy >= H || sx < 0 || sx >= W ? 0f : src[(c * H + sy) * W + sx];
                                ok = out[(c * H + i) * W + j] == want;
                            }
                        }
                    }
                    if (ok) return new int[] {dy, dx, f};
                }
            }
        }
        return null;
    }

    @Test void paddedPixelsAreNormalisedZeros() {
        Augment a = Augment.builder().randomCrop(3).normalize(new float[] {0.5f, 0.25f}, new float[] {0.5f, 0.5f}).build();
        float[] out = new float[C * H * W];
        Rng rng = new Rng(3);
        boolean sawPad = false;
        for (int t = 0; t < 50; t++) {
            a.apply(sample(), 0, out, 0, C, H, W, rng);
            for (int k = 0; k < out.length; k++) {
                boolean ch0 = k < H * W;
                if (out[k] == (ch0 ? -1f : -0.5f)) sawPad = true;  // (0 - mean) / std
            }
        }
        assertTrue(sawPad);
    }

    @Test void augmentedLoaderIsSeededAndFlipsAboutHalf() {
        Dataset base = new Dataset() {
            @Override public int size() { return 64; }
            @Override public Shape sampleShape() { return Shape.of(C, H, W); }
            @Override public int numClasses() { return 2; }
            @Override public int label(int i) { return i % 2; }
            @Override public void copyInput(int i, Tensor batch, int j) {
                System.arraycopy(sample(), 0, batch.data(), j * C * H * W, C * H * W);
            }
        };
        Augment flipOnly = Augment.builder().horizontalFlip().build();
        float[][] runs = new float[2][];
        for (int r = 0; r < 2; r++) {
            try (DataLoader loader = DataLoader.builder(new AugmentedDataset(base, flipOnly, 5)).batchSize(64).build();
                 DataLoader.Epoch e = loader.epoch(0)) {
                e.next();
                runs[r] = e.inputs().data().clone();
            }
        }
        assertArrayEquals(runs[0], runs[1], "same seed, same batch");
        int flipped = 0;
        for (int s = 0; s < 64; s++) {
            float first = runs[0][s * C * H * W];       // column 0, or column 3 when mirrored
            assertTrue(first == 1f || first == 4f, "sample " + s + " starts with " + first);
            if (first == 4f) flipped++;
        }
        assertTrue(flipped > 16 && flipped < 48, "flipped " + flipped + " of 64");
    }
}
