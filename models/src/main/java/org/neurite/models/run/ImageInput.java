package org.neurite.models.run;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.neurite.models.data.IdxReader;
import org.neurite.models.data.InputDataException;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * Turns a picture into what an MNIST-trained model expects: one channel, 28x28, values in [0, 1],
 * a light digit on a dark ground.
 * <ol>
 *   <li>read with ImageIO (PNG, JPEG, GIF, BMP); transparent pixels count as white paper;</li>
 *   <li>grey by luma, 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601);</li>
 *   <li>polarity: MNIST digits are white on black; when the mean brightness is above 0.5 (a dark
 *       digit on light paper, as photos and drawings usually are) the values are inverted;</li>
 *   <li>with {@code center} (MNIST's own recipe): cropped to the bounding box of the ink (values
 *       above 0.2), scaled so its longer side is 20/28 of the model's size, and placed so that its
 *       centre of mass sits at the centre; without it, the whole picture is resized;</li>
 *   <li>resizing is by area averaging (each output pixel is the mean of the source area it covers,
 *       so thin strokes survive shrinking).</li>
 * </ol>
 */
public final class ImageInput {
    private ImageInput() { }

    /** {@code file} as a tensor {@code [1, 1, H, W]} for input shape {@code [1, H, W]}, centred as MNIST is. */
    public static Tensor fromImage(Path file, Shape input) throws InputDataException {
        return fromImage(file, input, true);
    }

    /** {@code file} as a tensor {@code [1, 1, H, W]}; {@code center}: crop, scale and centre the ink as MNIST does. */
    public static Tensor fromImage(Path file, Shape input, boolean center) throws InputDataException {
        if (input.rank() != 3 || input.dim(0) != 1) {
            throw new IllegalArgumentException("pictures can only feed one-channel models, not input " + input);
        }
        BufferedImage img;
        try {
            if (!Files.isRegularFile(file)) throw InputDataException.in(file.toString(), "no such file");
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw InputDataException.in(file.toString(), "cannot read the picture: " + e.getMessage());
        }
        if (img == null) throw InputDataException.in(file.toString(), "not a picture ImageIO can read (PNG, JPEG, GIF or BMP)");
        int w = img.getWidth(), h = img.getHeight();
        float[] grey = grey(img);
        double mean = 0;
        for (float v : grey) mean += v;
        if (mean / grey.length > 0.5) {
            for (int i = 0; i < grey.length; i++) grey[i] = 1 - grey[i];
        }
        float[] small = center ? centred(grey, w, h, input.dim(2), input.dim(1)) : null;
        if (small == null) small = resize(grey, w, h, input.dim(2), input.dim(1));
        return Tensor.wrap(Shape.of(1, 1, input.dim(1), input.dim(2)), small);
    }

    /** Image {@code index} of an IDX image file ([N, H, W] unsigned bytes, MNIST's format) as {@code [1, 1, H, W]} in [0, 1]. */
    public static Tensor fromIdx(Path file, int index, Shape input) throws InputDataException {
        IdxReader.IdxArray a = IdxReader.read(file);
        if (a.type() != IdxReader.UBYTE || a.dims().length != 3) {
            throw InputDataException.in(file.toString(), "expected unsigned-byte images [N, H, W]");
        }
        if (index < 0 || index >= a.count()) throw new IllegalArgumentException("--index " + index + " is not in 0.." + (a.count() - 1) + " (" + file + ")");
        int h = a.dims()[1], w = a.dims()[2];
        if (h != input.dim(1) || w != input.dim(2)) {
            throw InputDataException.in(file.toString(), "images are " + h + "x" + w + ", the model takes " + input.dim(1) + "x" + input.dim(2));
        }
        float[] x = new float[h * w];
        for (int i = 0; i < x.length; i++) x[i] = a.ubyte(index * x.length + i) / 255f;
        return Tensor.wrap(Shape.of(1, 1, h, w), x);
    }

    /**
     * MNIST's normalisation of white-on-black {@code g} ({@code w x h}) into {@code ow x oh}: the ink's
     * bounding box scaled to fit 20/28 of the output, its centre of mass moved to the centre.
     * Null when there is no ink.
     */
    static float[] centred(float[] g, int w, int h, int ow, int oh) {
        int x0 = w, y0 = h, x1 = -1, y1 = -1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (g[y * w + x] > 0.2f) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
        }
        if (x1 < 0) return null;
        int bw = x1 - x0 + 1, bh = y1 - y0 + 1;
        float[] box = new float[bw * bh];
        for (int y = 0; y < bh; y++) System.arraycopy(g, (y0 + y) * w + x0, box, y * bw, bw);
        double fit = Math.min(ow, oh) * 20.0 / 28.0 / Math.max(bw, bh);
        int sw = Math.max(1, (int) Math.round(bw * fit)), sh = Math.max(1, (int) Math.round(bh * fit));
        float[] scaled = resize(box, bw, bh, sw, sh);
        double mass = 0, mx = 0, my = 0;
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < sw; x++) {
                float v = scaled[y * sw + x];
                mass += v;
                mx += v * (x + 0.5);
                my += v * (y + 0.5);
            }
        }
        int left = (int) Math.round(ow / 2.0 - mx / mass), top = (int) Math.round(oh / 2.0 - my / mass);
        left = Math.max(0, Math.min(ow - sw, left));
        top = Math.max(0, Math.min(oh - sh, top));
        float[] out = new float[ow * oh];
        for (int y = 0; y < sh; y++) System.arraycopy(scaled, y * sw, out, (top + y) * ow + left, sw);
        return out;
    }

    /** Luma in [0, 1], row-major; alpha blends over white. */
    static float[] grey(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        float[] g = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = img.getRGB(x, y);
                float a = ((argb >>> 24) & 0xff) / 255f;
                float luma = (0.299f * ((argb >> 16) & 0xff) + 0.587f * ((argb >> 8) & 0xff) + 0.114f * (argb & 0xff)) / 255f;
                g[y * w + x] = a * luma + (1 - a); // over white paper
            }
        }
        return g;
    }

    /** Area-average resampling of a {@code w x h} image to {@code ow x oh}. */
    static float[] resize(float[] src, int w, int h, int ow, int oh) {
        float[] out = new float[ow * oh];
        double sx = (double) w / ow, sy = (double) h / oh;
        for (int oy = 0; oy < oh; oy++) {
            double y0 = oy * sy, y1 = y0 + sy;
            for (int ox = 0; ox < ow; ox++) {
                double x0 = ox * sx, x1 = x0 + sx;
                double sum = 0, area = 0;
                for (int y = (int) y0; y < Math.min(h, Math.ceil(y1)); y++) {
                    double wy = Math.min(y + 1, y1) - Math.max(y, y0);
                    for (int x = (int) x0; x < Math.min(w, Math.ceil(x1)); x++) {
                        double wx = Math.min(x + 1, x1) - Math.max(x, x0);
                        sum += wx * wy * src[y * w + x];
                        area += wx * wy;
                    }
                }
                out[oy * ow + ox] = (float) (sum / area);
            }
        }
        return out;
    }
}
