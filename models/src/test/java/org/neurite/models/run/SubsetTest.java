package org.neurite.models.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.neurite.models.data.MnistDataset;

/** The validation split: sizes, disjoint and complete, fixed by the seed. */
class SubsetTest {
    private static int[] indices(Subset s) {
        return IntStream.range(0, s.size()).map(s::baseIndex).toArray();
    }

    @Test void splitIsDeterministicDisjointAndComplete() throws Exception {
        MnistDataset d = MnistDataset.bundledSample(MnistDataset.Split.TEST); // 500 digits
        Subset[] a = Subset.split(d, 0.1, 7);
        Subset[] b = Subset.split(d, 0.1, 7);
        assertEquals(450, a[0].size());
        assertEquals(50, a[1].size());
        assertArrayEquals(indices(a[1]), indices(b[1]));
        int[] all = IntStream.concat(Arrays.stream(indices(a[0])), Arrays.stream(indices(a[1]))).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 500).toArray(), all);
        assertFalse(Arrays.equals(indices(a[1]), indices(Subset.split(d, 0.1, 8)[1])), "another seed, another split");
        assertEquals(d.label(a[1].baseIndex(3)), a[1].label(3));
    }
}
