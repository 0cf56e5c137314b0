package org.neurite.layers.norm;

/**
 * What one batch-norm op is planned for: {@code n} samples of {@code channels} channels of
 * {@code spatial} values each (H*W for images, 1 for [N, C]). Channel c of sample i starts at
 * {@code i * sampleStride + c * spatial}; x and dX use {@code xSampleStride}, y and dY use
 * {@code ySampleStride}. A stride larger than {@code channels * spatial} reads a channel prefix of a
 * wider NCHW buffer (cuDNN reaches the same with a strided tensor descriptor): DenseNet's block
 * buffer is normalised in place of a copy.
 */
public record BatchNormGeometry(int n, int channels, int spatial, int xSampleStride, int ySampleStride) {
    public BatchNormGeometry {
        if (n <= 0 || channels <= 0 || spatial <= 0) {
            throw new IllegalArgumentException("batch norm: n, channels and spatial must be positive: " + n + ", " + channels + ", " + spatial);
        }
        if (xSampleStride < channels * spatial || ySampleStride < channels * spatial) {
            throw new IllegalArgumentException("batch norm: sample strides " + xSampleStride + ", " + ySampleStride
                    + " shorter than channels * spatial = " + channels * spatial);
        }
    }

    /** Contiguous x and y: {@code [n, channels, spatial]}. */
    public static BatchNormGeometry contiguous(int n, int channels, int spatial) {
        return new BatchNormGeometry(n, channels, spatial, channels * spatial, channels * spatial);
    }

    /** Values per channel in one batch: the M of the mean and the variance. */
    public int perChannel() { return n * spatial; }

    /** Floats an x or dX tensor must hold at least. */
    int xExtent() { return (n - 1) * xSampleStride + channels * spatial; }

    /** Floats a y or dY tensor must hold at least. */
    int yExtent() { return (n - 1) * ySampleStride + channels * spatial; }
}
