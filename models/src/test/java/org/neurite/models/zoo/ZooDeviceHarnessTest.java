package org.neurite.models.zoo;

import org.neurite.runtime.Device;

/** {@link ZooDeviceCases} CPU against CPU: the harness is sound here, so a GPU failure points at an engine. */
class ZooDeviceHarnessTest extends ZooDeviceCases {
    @Override Device device() { return Device.CPU; }
}
