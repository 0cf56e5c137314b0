package org.neurite.layers.cuda;

import org.neurite.layers.rnn.RnnLayout;

/**
 * The memory a cuDNN RNN needs for one {@code (T, N)} plan, from the sizes cuDNN reports
 * ({@code cudnnGetRNNWeightSpaceSize}, {@code cudnnGetRNNTempSpaceSizes} for training and for
 * inference), checked and turned into allocation decisions by pure functions.
 *
 * <ul>
 *   <li>The weight space must be exactly the flat buffer ({@code 4 * layout.size()} bytes): a
 *       different size means cuDNN's layout is not the CPU engine's.</li>
 *   <li>The work space is scratch, shared with every cuDNN op of the device (the device workspace
 *       grows to the largest request): the larger of the training and inference sizes.</li>
 *   <li>The reserve space carries a training forward's intermediates to the backward calls; the
 *       engine owns it and replaces it only when a plan needs more than it holds, so alternating
 *       sequence lengths do not reallocate.</li>
 * </ul>
 *
 * @param weightBytes  the weight space (checked against the layout)
 * @param workBytes    scratch for forward, backward data and backward weights
 * @param reserveBytes what a training forward keeps for the backward
 */
public record RnnSpaces(long weightBytes, long workBytes, long reserveBytes) {

    public RnnSpaces {
        if (weightBytes < 0 || workBytes < 0 || reserveBytes < 0) {
            throw new IllegalArgumentException("negative RNN space sizes: " + weightBytes + ", " + workBytes + ", " + reserveBytes);
        }
    }

    /**
     * The spaces of a plan from cuDNN's reported sizes.
     *
     * @throws IllegalStateException the weight space is not the layout's flat buffer
     */
    public static RnnSpaces of(RnnLayout layout, long weightBytes, long trainWork, long trainReserve, long inferenceWork) {
        checkWeightSpace(layout, weightBytes);
        return new RnnSpaces(weightBytes, Math.max(trainWork, inferenceWork), trainReserve);
    }

    /** Throws unless cuDNN's weight space is the flat buffer of {@code layout}. */
    public static void checkWeightSpace(RnnLayout layout, long weightBytes) {
        long want = 4L * layout.size();
        if (weightBytes != want) {
            throw new IllegalStateException("cuDNN wants a weight space of " + weightBytes + " bytes for " + layout.cell() + " (hidden "
                    + layout.hiddenSize() + ", layers " + layout.numLayers() + ", directions " + layout.directions()
                    + "); the flat weight buffer has " + want + ": cuDNN's layout differs from the CPU engine's");
        }
    }

    /** True when a reserve block of {@code capacity} bytes (0: none) must be replaced for this plan. */
    public boolean needsNewReserve(long capacity) {
        return reserveBytes > capacity;
    }
}
