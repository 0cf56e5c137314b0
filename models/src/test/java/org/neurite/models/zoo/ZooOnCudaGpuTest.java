package org.neurite.models.zoo;

import org.neurite.runtime.Device;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.GpuTest;

/** On a GPU: the {@link ZooDeviceCases} models train a few steps on CUDA to the CPU's losses and weights. */
@GpuTest
class ZooOnCudaGpuTest extends ZooDeviceCases {
    @Override Device device() { return CudaDevice.shared(0); }
}
