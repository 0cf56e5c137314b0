package org.neurite.runtime.cuda;

import org.neurite.runtime.DeviceException;

/** A CUDA, cuBLAS or cuDNN call returned an error; the message names the call and the code. */
public class CudaException extends DeviceException {
    private final int code;

    public CudaException(String message, int code) {
        super(message);
        this.code = code;
    }

    /** The library's return code. */
    public int code() { return code; }
}
