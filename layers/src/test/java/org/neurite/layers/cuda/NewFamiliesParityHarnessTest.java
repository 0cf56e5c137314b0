package org.neurite.layers.cuda;

import org.neurite.runtime.Device;

/**
 * The GPU parity cases run CPU against CPU: proves here, without a GPU, that the harness and the
 * cases are sound (two modules from one seed agree, re-planned and reused buffers alike), so a
 * failure on a GPU points at the CUDA engine.
 */
class NewFamiliesParityHarnessTest extends NewFamiliesParityCases {
    @Override Device device() { return Device.CPU; }
}
