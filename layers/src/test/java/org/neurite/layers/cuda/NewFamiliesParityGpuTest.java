package org.neurite.layers.cuda;

import org.neurite.runtime.Device;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.GpuTest;

/**
 * On a GPU: concat, dense block, embedding, one-hot, sequence pooling, time-distributed, the
 * LeNet-1998 layers and flatten against their CPU modules (forward, dX, every parameter gradient,
 * 1e-4 relative scaled by magnitude). Skipped, saying why, where CUDA is not usable.
 */
@GpuTest
class NewFamiliesParityGpuTest extends NewFamiliesParityCases {
    @Override Device device() { return CudaDevice.shared(0); }
}
