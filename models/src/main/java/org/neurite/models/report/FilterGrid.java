package org.neurite.models.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.neurite.runtime.Tensor;

/**
 * Convolution filters {@code [K, C, R, S]} as an image grid, one tile per filter (and per input
 * channel unless C is 3, drawn as RGB). Each filter is scaled by its own largest magnitude around
 * mid-grey: black is its most negative weight, white its most positive, grey zero. Drawn with
 * Java2D: a picture of weights, not a chart.
 */
public final class FilterGrid {
    private static final int PAD = 8;

    private FilterGrid() { }

    /** Draws {@code weights} to {@code file} under {@code title}. */
    public static void write(Path file, Tensor weights, String title) throws IOException {
        Png.init();
        int[] d = weights.shape().dims();
        if (d.length != 4) throw new IllegalArgumentException("filters must be [K, C, R, S], got " + weights.shape());
        int k = d[0], c = d[1], r = d[2], s = d[3];
        boolean rgb = c == 3;
        int perFilter = rgb ? 1 : c;
        int tiles = k * perFilter;
        int cols = perFilter > 1 ? perFilter : (int) Math.ceil(Math.sqrt(tiles));
        int rows = (tiles + cols - 1) / cols;
        int scale = Math.max(4, 96 / Math.max(r, s));
        int tw = s * scale, th = r * scale;
        int top = 64, label = 16;
        int width = Math.max(560, PAD + cols * (tw + PAD));
        int height = top + rows * (th + label + PAD) + 52;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, PAD, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(String.format("%d filters of %dx%dx%d%s", k, c, r, s, rgb ? " (shown as RGB)" : perFilter > 1 ? " (one tile per input channel)" : ""),
                PAD, 44);
        float[] w = weights.data();
        int filterSize = c * r * s;
        for (int f = 0; f < k; f++) {
            float max = 1e-12f;
            for (int i = 0; i < filterSize; i++) max = Math.max(max, Math.abs(w[f * filterSize + i]));
            for (int ch = 0; ch < perFilter; ch++) {
                int t = f * perFilter + ch;
                int x0 = PAD + (t % cols) * (tw + PAD);
                int y0 = top + (t / cols) * (th + label + PAD);
                for (int yy = 0; yy < r; yy++) {
                    for (int xx = 0; xx < s; xx++) {
                        int rgbValue = rgb ? color(w, f * filterSize, r * s, yy * s + xx, max) : grey(w[f * filterSize + ch * r * s + yy * s + xx], max);
                        g.setColor(new Color(rgbValue));
                        g.fillRect(x0 + xx * scale, y0 + yy * scale, scale, scale);
                    }
                }
                g.setColor(Color.GRAY);
                g.drawRect(x0 - 1, y0 - 1, tw + 1, th + 1);
                g.setColor(Color.BLACK);
                g.drawString(perFilter > 1 ? "#" + f + " ch " + ch : "#" + f, x0, y0 + th + 13);
            }
        }
        g.setColor(Color.DARK_GRAY);
        g.drawString("black: most negative weight, grey: 0, white: most positive", PAD, height - 30);
        g.drawString("(each filter scaled by its own largest |w|)", PAD, height - 12);
        g.dispose();
        Png.write(file, img);
    }

    private static int grey(float v, float max) {
        int level = Math.round(127.5f + 127.5f * v / max);
        return level << 16 | level << 8 | level;
    }

    private static int color(float[] w, int base, int plane, int at, float max) {
        int rr = Math.round(127.5f + 127.5f * w[base + at] / max);
        int gg = Math.round(127.5f + 127.5f * w[base + plane + at] / max);
        int bb = Math.round(127.5f + 127.5f * w[base + 2 * plane + at] / max);
        return rr << 16 | gg << 8 | bb;
    }
}
