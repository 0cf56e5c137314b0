package org.neurite.runtime.cuda;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what a failed CUDA probe stage threw into one line a user can act on, e.g.
 * {@code libcublas.so.12 not found}. Pure Java: touches no native library.
 */
public final class CudaReasons {
    /** {@code cudaErrorInsufficientDriver}: no driver, or one too old for the runtime. */
    public static final int CUDA_ERROR_INSUFFICIENT_DRIVER = 35;
    /** {@code cudaErrorNoDevice}. */
    public static final int CUDA_ERROR_NO_DEVICE = 100;

    // What the dynamic loader says when a library (or one it needs) is missing.
    private static final Pattern MISSING_LIB =
            Pattern.compile("(lib[A-Za-z0-9_+\\-]+\\.so[.0-9]*): cannot open shared object file");

    private CudaReasons() { }

    /**
     * The reason a library stage ({@code what}: "cuBLAS", "cuDNN", ...) failed: the missing shared
     * library when the loader named one, else the first line of the error.
     */
    public static String describeLoadFailure(String what, Throwable t) {
        String missing = missingLibrary(t);
        if (missing != null) return missing + " not found";
        if (t instanceof CudaLibraries.LoadException) return t.getMessage();
        return what + " failed to load: " + describe(t);
    }

    /** The shared library the loader could not find, anywhere in {@code t}'s messages and causes. */
    public static String missingLibrary(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String msg = c.getMessage();
            if (msg == null) continue;
            Matcher m = MISSING_LIB.matcher(msg);
            // JCuda lists two load attempts; the last loader complaint is the real one.
            String last = null;
            while (m.find()) last = m.group(1);
            if (last != null) return last;
        }
        return null;
    }

    /** The simple class name and the first line of the message. */
    public static String describe(Throwable t) {
        String msg = t.getMessage();
        if (msg == null || msg.isBlank()) return t.getClass().getSimpleName();
        int nl = msg.indexOf('\n');
        return t.getClass().getSimpleName() + ": " + (nl < 0 ? msg : msg.substring(0, nl)).trim();
    }

    /** A CUDA version number as "major.minor": 12060 becomes "12.6". */
    public static String cudaVersion(int v) {
        return (v / 1000) + "." + (v % 1000) / 10;
    }

    /** A cuBLAS version number (major*10000 + minor*100 + patch) as "12.6.3". */
    public static String cublasVersion(long v) {
        return (v / 10000) + "." + (v % 10000) / 100 + "." + v % 100;
    }

    /** A cuDNN version number as "9.5.1" (cuDNN 9: major*10000 + ..., cuDNN 8: major*1000 + ...). */
    public static String cudnnVersion(long v) {
        if (v >= 90000) return (v / 10000) + "." + (v % 10000) / 100 + "." + v % 100;
        return (v / 1000) + "." + (v % 1000) / 100 + "." + v % 100;
    }
}
