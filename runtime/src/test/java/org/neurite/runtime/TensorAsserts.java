package org.neurite.runtime;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * One closeness check for every numeric test: |expected - actual| <= abs + rel * |expected|,
 * and on failure a message with the name, the first bad index, both values and the largest error.
 */
public final class TensorAsserts {
    private TensorAsserts() { }

    public static void assertClose(String what, double[] expected, double[] actual, double rel, double abs) {
        if (expected.length != actual.length) {
            fail(what + ": length " + actual.length + ", expected " + expected.length);
        }
        int firstBad = -1;
        double maxErr = 0;
        int maxAt = -1;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(expected[i] - actual[i]);
            boolean bad = !(err <= abs + rel * Math.abs(expected[i]));
            if (bad && firstBad < 0) firstBad = i;
            if (err > maxErr || Double.isNaN(err)) {
                maxErr = err;
                maxAt = i;
            }
        }
        if (firstBad >= 0) {
            fail(String.format("%s: first mismatch at index %d: expected %.7g, actual %.7g; max error %.3g at %d (rel %.1g, abs %.1g)",
                    what, firstBad, expected[firstBad], actual[firstBad], maxErr, maxAt, rel, abs));
        }
    }

    public static void assertClose(String what, float[] expected, float[] actual, double rel, double abs) {
        assertClose(what, toDouble(expected), toDouble(actual), rel, abs);
    }

    public static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }
}
