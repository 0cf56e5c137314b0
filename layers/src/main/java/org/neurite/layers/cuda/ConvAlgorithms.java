package org.neurite.layers.cuda;

import java.util.ArrayList;
import java.util.List;
import org.neurite.runtime.DeviceException;
import org.neurite.runtime.cuda.CudaAllocator;
import org.neurite.runtime.cuda.CudnnOptions;

/**
 * How a convolution's three algorithms are chosen, once per shape: take cuDNN's ranked candidates
 * for each pass ({@link Source}: measured by {@code cudnnFind*AlgorithmEx} in benchmark mode, else
 * ranked by {@code cudnnGet*Algorithm_v7}) and keep the first that ran ({@code status == 0}), fits
 * the workspace limit, is deterministic when {@code --deterministic} asks for it, and uses no
 * tensor cores unless TF32 is allowed. Pure logic: tests feed it fake candidate lists.
 */
public final class ConvAlgorithms {

    /** Where the ranked candidates of a pass come from (cuDNN on a device, a list in tests). */
    public interface Source {
        List<AlgoPerf> candidates(ConvPass pass, boolean benchmark);
    }

    /**
     * The chosen algorithm of each pass.
     *
     * @param forward        for {@code cudnnConvolutionForward}
     * @param backwardData   for {@code cudnnConvolutionBackwardData}
     * @param backwardFilter for {@code cudnnConvolutionBackwardFilter}
     */
    public record Choice(AlgoPerf forward, AlgoPerf backwardData, AlgoPerf backwardFilter) {
        /** The workspace the three passes need: the largest of theirs. */
        public long workspace() {
            return Math.max(forward.memory(), Math.max(backwardData.memory(), backwardFilter.memory()));
        }

        public AlgoPerf of(ConvPass pass) {
            return switch (pass) {
                case FORWARD -> forward;
                case BACKWARD_DATA -> backwardData;
                case BACKWARD_FILTER -> backwardFilter;
            };
        }
    }

    private ConvAlgorithms() { }

    /** The choice for all three passes of the convolution {@code layer} (named in errors). */
    public static Choice choose(String layer, Source source, CudnnOptions options) {
        AlgoPerf[] picked = new AlgoPerf[3];
        for (ConvPass pass : ConvPass.values()) {
            picked[pass.ordinal()] = choose(layer, pass, source.candidates(pass, options.benchmark()), options);
        }
        return new Choice(picked[0], picked[1], picked[2]);
    }

    /**
     * The first acceptable candidate of {@code ranked}, kept in cuDNN's order.
     *
     * @throws DeviceException none is acceptable; the message gives each candidate's reason
     */
    public static AlgoPerf choose(String layer, ConvPass pass, List<AlgoPerf> ranked, CudnnOptions options) {
        List<String> rejected = new ArrayList<>();
        for (AlgoPerf p : ranked) {
            String why = rejection(p, options);
            if (why == null) return p;
            rejected.add("algo " + p.algo() + " " + why);
        }
        throw new DeviceException(layer + ": no cuDNN " + pass + " algorithm fits"
                + (rejected.isEmpty() ? " (cuDNN offered none)" : ": " + String.join("; ", rejected))
                + (options.deterministic() ? " (deterministic mode is on)" : ""));
    }

    /** Why {@code p} cannot be used under {@code options}, or null when it can. */
    static String rejection(AlgoPerf p, CudnnOptions options) {
        if (p.status() != 0) return "failed (status " + p.status() + ")";
        if (p.memory() > options.workspaceLimit()) {
            return "needs " + CudaAllocator.formatBytes(p.memory()) + " of workspace (limit "
                    + CudaAllocator.formatBytes(options.workspaceLimit()) + ")";
        }
        if (options.deterministic() && p.determinism() != AlgoPerf.DETERMINISTIC) return "is not deterministic";
        if (!options.allowTf32() && p.usesTensorCores()) return "uses tensor cores (TF32 not allowed)";
        return null;
    }
}
