package org.neurite.models.zoo;

import org.neurite.layers.conv.Conv2d;
import org.neurite.runtime.Rng;

/** Small factories shared by the builders: the convolutions the papers keep using. */
final class ZooLayers {
    private ZooLayers() { }

    /** A square convolution without bias (a batch norm follows and has the shift). */
    static Conv2d convNoBias(int in, int out, int kernel, int stride, int pad, Rng rng) {
        return new Conv2d(Conv2d.config(in, out, kernel).stride(stride).padding(pad).noBias().build(), rng);
    }

    /** A square convolution with bias. */
    static Conv2d conv(int in, int out, int kernel, int stride, int pad, Rng rng) {
        return new Conv2d(Conv2d.config(in, out, kernel).stride(stride).padding(pad).build(), rng);
    }
}
