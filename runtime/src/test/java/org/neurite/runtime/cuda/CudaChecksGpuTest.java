package org.neurite.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neurite.runtime.Kernels;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;

/** On a GPU: the training loop's device checks against their CPU definitions. */
@GpuTest
class CudaChecksGpuTest {
    private static CudaDevice cuda;

    @BeforeAll static void openDevice() {
        cuda = CudaDevice.shared(0);
    }

    @Test void nonFiniteFlagsEachTensorHoldingANanOrAnInfinity() {
        int[] sizes = {5, 1000, 300_000, 7, 300_000};
        List<Tensor> host = new ArrayList<>();
        for (int n : sizes) host.add(Tensor.zeros(n));
        host.get(1).data()[999] = Float.NaN;                  // the last element
        host.get(2).data()[299_999] = Float.NEGATIVE_INFINITY; // beyond the first grid-stride pass
        host.get(3).data()[0] = Float.MAX_VALUE;              // large but finite
        List<Tensor> dev = new ArrayList<>();
        for (Tensor t : host) dev.add(t.toDevice(cuda));
        assertArrayEquals(new boolean[] {false, true, true, false, false}, CudaChecks.nonFinite(cuda, dev));
        assertArrayEquals(new boolean[] {false, false, false, false, false}, CudaChecks.nonFinite(cuda, List.of(dev.get(0), dev.get(3),
                dev.get(4), dev.get(0), dev.get(3))), "a fresh flag buffer per call");
    }

    @Test void argmaxRowsIsTheCpusLoopTiesAndNansIncluded() {
        Rng rng = new Rng(4);
        int rows = 300, cols = 17;
        Tensor x = Tensor.zeros(rows, cols);
        float[] a = x.data();
        for (int i = 0; i < a.length; i++) a[i] = rng.nextInt(5);   // many ties
        a[0] = Float.NaN;          // row 0: a NaN first stays the answer (nothing is > NaN), as in the CPU loop
        a[cols + 3] = Float.NaN;   // row 1: a NaN later is skipped
        int[] expected = new int[rows];
        for (int r = 0; r < rows; r++) expected[r] = Kernels.argmax(cols, a, r * cols);
        assertArrayEquals(expected, CudaChecks.argmaxRows(x.toDevice(cuda), rows, cols));
    }
}
