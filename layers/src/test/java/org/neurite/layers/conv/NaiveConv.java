package org.neurite.layers.conv;

/** The textbook direct convolution (cross-correlation), in double: the reference the engine is tested against. */
final class NaiveConv {
    private NaiveConv() { }

    /** y [N, K, OH, OW] for x [N, C, H, W], w [K, C/groups, R, S], b [K] or null. */
    static float[] forward(Conv2d.Config cfg, int n, int h, int w, float[] x, float[] wt, float[] b) {
        int c = cfg.inChannels(), k = cfg.outChannels(), r = cfg.kernelH(), s = cfg.kernelW();
        int cg = c / cfg.groups(), kg = k / cfg.groups();
        int oh = (h + 2 * cfg.padH() - cfg.dilationH() * (r - 1) - 1) / cfg.strideH() + 1;
        int ow = (w + 2 * cfg.padW() - cfg.dilationW() * (s - 1) - 1) / cfg.strideW() + 1;
        float[] y = new float[n * k * oh * ow];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < k; f++) {
                int group = f / kg;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double acc = b == null ? 0 : b[f];
                        for (int ci = 0; ci < cg; ci++) {
                            int ch = group * cg + ci;
                            for (int ry = 0; ry < r; ry++) {
                                for (int sx = 0; sx < s; sx++) {
                                    int iy = oy * cfg.strideH() - cfg.padH() + ry * cfg.dilationH();
                                    int ix = ox * cfg.strideW() - cfg.padW() + sx * cfg.dilationW();
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                    acc += (double) x[((i * c + ch) * h + iy) * w + ix] * wt[((f * cg + ci) * r + ry) * s + sx];
                                }
                            }
                        }
                        y[((i * k + f) * oh + oy) * ow + ox] = (float) acc;
                    }
                }
            }
        }
        return y;
    }
}
