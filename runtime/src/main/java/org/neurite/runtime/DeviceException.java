package org.neurite.runtime;

/** A device was asked for that cannot be used; the message is one line saying why. */
public class DeviceException extends RuntimeException {
    public DeviceException(String message) {
        super(message);
    }
}
