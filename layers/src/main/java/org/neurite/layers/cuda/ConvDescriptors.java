package org.neurite.layers.cuda;

import org.neurite.layers.conv.ConvGeometry;

/**
 * The numbers a cuDNN convolution is described with, derived from a {@link ConvGeometry} by a pure
 * function so they can be checked without a device. All tensors are fully packed NCHW float32.
 *
 * @param xDims     input {@code [n, c, h, w]}, for {@code cudnnSetTensorNdDescriptor}
 * @param xStrides  its packed strides
 * @param wDims     filter {@code [k, c/groups, r, s]}, for {@code cudnnSetFilterNdDescriptor} (NCHW)
 * @param yDims     output {@code [n, k, oh, ow]}
 * @param yStrides  its packed strides
 * @param biasDims  bias as {@code [1, k, 1, 1]}, broadcast over y by {@code cudnnAddTensor}
 * @param pad       {@code [padH, padW]}, for {@code cudnnSetConvolutionNdDescriptor}
 * @param stride    {@code [strideH, strideW]}
 * @param dilation  {@code [dilationH, dilationW]}
 * @param mode      {@code CUDNN_CROSS_CORRELATION}: what PyTorch and the CPU engine compute
 * @param groups    for {@code cudnnSetConvolutionGroupCount}
 */
public record ConvDescriptors(int[] xDims, int[] xStrides, int[] wDims, int[] yDims, int[] yStrides, int[] biasDims,
                              int[] pad, int[] stride, int[] dilation, int mode, int groups) {
    /** {@code CUDNN_CROSS_CORRELATION}. */
    public static final int CROSS_CORRELATION = 1;

    /** The descriptors of {@code g}. */
    public static ConvDescriptors of(ConvGeometry g) {
        int[] x = {g.n(), g.c(), g.h(), g.w()};
        int[] y = {g.n(), g.k(), g.oh(), g.ow()};
        return new ConvDescriptors(x, packedStrides(x), new int[] {g.k(), g.cg(), g.r(), g.s()}, y, packedStrides(y),
                new int[] {1, g.k(), 1, 1}, new int[] {g.padH(), g.padW()}, new int[] {g.strideH(), g.strideW()},
                new int[] {g.dilationH(), g.dilationW()}, CROSS_CORRELATION, g.groups());
    }

    /** Row-major strides of a contiguous tensor: the last is 1, each other the product of the later dims. */
    public static int[] packedStrides(int[] dims) {
        int[] s = new int[dims.length];
        int step = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = step;
            step *= dims[i];
        }
        return s;
    }
}
