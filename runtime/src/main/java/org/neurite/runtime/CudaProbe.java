package org.neurite.runtime;

/**
 * Finds out once whether the CUDA engine can run here. Until the CUDA engine lands, the answer is
 * always no, with the reason.
 */
public final class CudaProbe {
    /** The probe's answer: usable or not, and why not. */
    public record Result(boolean usable, String reason) { }

    private static volatile Result result;

    private CudaProbe() { }

    public static Result probe() {
        Result r = result;
        if (r == null) {
            r = new Result(false, "this build of Neurite has no CUDA engine yet");
            result = r;
        }
        return r;
    }
}
