package org.neurite.layers.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurite.runtime.DeviceException;
import org.neurite.runtime.cuda.CudnnOptions;

/** The algorithm choice on fake cuDNN candidate lists. */
class ConvAlgorithmsTest {
    private static final long MiB = 1 << 20, GiB = 1L << 30;
    private static final int DET = 1, NONDET = 0, FMA = 3, TENSOR_OP = 1;

    private static AlgoPerf ok(int algo, long memory, int determinism, int math) {
        return new AlgoPerf(algo, 0, 0.5f, memory, determinism, math);
    }

    private static AlgoPerf pick(List<AlgoPerf> ranked, CudnnOptions o) {
        return ConvAlgorithms.choose("conv", ConvPass.FORWARD, ranked, o);
    }

    @Test void theFirstRankedCandidateThatRanIsTaken() {
        List<AlgoPerf> ranked = List.of(new AlgoPerf(1, 3000, -1f, 0, DET, FMA), ok(0, 0, DET, FMA), ok(2, 0, DET, FMA));
        assertEquals(0, pick(ranked, CudnnOptions.DEFAULT).algo());
    }

    @Test void candidatesOverTheWorkspaceLimitAreSkipped() {
        List<AlgoPerf> ranked = List.of(ok(7, 2 * GiB, DET, FMA), ok(1, 100 * MiB, DET, FMA));
        assertEquals(1, pick(ranked, CudnnOptions.DEFAULT).algo());
        assertEquals(7, pick(ranked, CudnnOptions.DEFAULT.withWorkspaceLimit(4 * GiB)).algo());
        assertEquals(1, pick(ranked, CudnnOptions.DEFAULT.withWorkspaceLimit(100 * MiB)).algo(), "the limit is inclusive");
    }

    @Test void deterministicModeTakesOnlyDeterministicAlgorithms() {
        List<AlgoPerf> ranked = List.of(ok(0, 0, NONDET, FMA), ok(3, MiB, DET, FMA));
        assertEquals(0, pick(ranked, CudnnOptions.DEFAULT).algo());
        assertEquals(3, pick(ranked, CudnnOptions.DEFAULT.withDeterministic(true)).algo());
    }

    @Test void tensorCoreAlgorithmsOnlyWhenTf32IsAllowed() {
        List<AlgoPerf> ranked = List.of(ok(6, 0, DET, TENSOR_OP), ok(1, 0, DET, 2), ok(4, 0, DET, FMA));
        assertEquals(4, pick(ranked, CudnnOptions.DEFAULT).algo());
        assertEquals(6, pick(ranked, CudnnOptions.DEFAULT.withAllowTf32(true)).algo());
    }

    @Test void whenNothingFitsTheErrorGivesEveryReason() {
        List<AlgoPerf> ranked = List.of(new AlgoPerf(1, 3000, -1f, 0, DET, FMA), ok(2, 2 * GiB, DET, FMA), ok(0, 0, NONDET, FMA),
                ok(6, 0, DET, TENSOR_OP));
        DeviceException e = assertThrows(DeviceException.class,
                () -> ConvAlgorithms.choose("Conv2d(3->8, 3x3)", ConvPass.BACKWARD_FILTER, ranked, CudnnOptions.DEFAULT.withDeterministic(true)));
        assertEquals("Conv2d(3->8, 3x3): no cuDNN backward filter algorithm fits: algo 1 failed (status 3000); "
                + "algo 2 needs 2.00 GiB of workspace (limit 1.00 GiB); algo 0 is not deterministic; "
                + "algo 6 uses tensor cores (TF32 not allowed) (deterministic mode is on)", e.getMessage());
        DeviceException empty = assertThrows(DeviceException.class,
                () -> ConvAlgorithms.choose("c", ConvPass.FORWARD, List.of(), CudnnOptions.DEFAULT));
        assertEquals("c: no cuDNN forward algorithm fits (cuDNN offered none)", empty.getMessage());
    }

    @Test void allThreePassesAreChosenOnceAndTheWorkspaceIsTheirMaximum() {
        List<String> asked = new ArrayList<>();
        ConvAlgorithms.Source source = (pass, benchmark) -> {
            asked.add(pass + (benchmark ? " (timed)" : " (heuristic)"));
            return switch (pass) {
                case FORWARD -> List.of(ok(1, 3 * MiB, DET, FMA));
                case BACKWARD_DATA -> List.of(ok(0, 0, NONDET, FMA), ok(1, 8 * MiB, DET, FMA));
                case BACKWARD_FILTER -> List.of(ok(3, 5 * MiB, DET, FMA));
            };
        };
        ConvAlgorithms.Choice c = ConvAlgorithms.choose("conv", source, CudnnOptions.DEFAULT.withDeterministic(true).withBenchmark(true));
        assertEquals(List.of("forward (timed)", "backward data (timed)", "backward filter (timed)"), asked);
        assertEquals(1, c.forward().algo());
        assertEquals(1, c.backwardData().algo());
        assertEquals(3, c.backwardFilter().algo());
        assertEquals(8 * MiB, c.workspace());
        assertEquals(c.backwardData(), c.of(ConvPass.BACKWARD_DATA));
        asked.clear();
        ConvAlgorithms.choose("conv", source, CudnnOptions.DEFAULT);
        assertEquals("forward (heuristic)", asked.get(0));
    }
}
