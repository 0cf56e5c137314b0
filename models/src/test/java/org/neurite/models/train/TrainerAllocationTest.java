package org.neurite.models.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.neurite.layers.Module;
import org.neurite.layers.loss.SoftmaxCrossEntropy;
import org.neurite.layers.optim.Sgd;
import org.neurite.models.data.DataLoader;
import org.neurite.models.data.MnistDataset;
import org.neurite.models.zoo.LeNet5;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Rng;

/**
 * A LeNet-5 training step allocates (almost) nothing once warm: bytes allocated by the training
 * thread per step, measured with ThreadMXBean between the trainer's onStep calls (the loader's
 * prefetch thread is not counted). One thread, batch 64 as in workload W1.
 * <p>
 * Warm-up is long on purpose: Vector API code allocates its vectors until C2 compiles it (about
 * 100 MB per step in the interpreter, 4 MB under C1, 40 steps here). The GEMM's edge tiles
 * (4-row and narrow panels of the dense layers' products) and the dots' tails are called a few
 * times a step, so they reach C2 last: on an AVX-512 host (8-row kernel) 8 warm epochs left
 * them under C1 in most JVMs (445 KB a step in their loops, JFR), 16 did not in any of 12 runs.
 */
class TrainerAllocationTest {
    /**
     * What a step may still allocate: nothing, except 32 bytes in the steps where the training
     * thread waits for the prefetching loader (ArrayBlockingQueue.take parks on a condition, which
     * allocates its node). Measured per layer: 0 bytes. (Conv2d used to build a Shape per forward
     * and a List per params() call: 224 bytes a step.)
     */
    private static final long EVERY_STEP_BYTES = 0;
    private static final long BOUND_BYTES = EVERY_STEP_BYTES + 32;

    @Test void aWarmLeNet5StepAllocatesAtMostTheBound() throws Exception {
        int before = Parallel.threads();
        Parallel.setThreads(1);
        try {
            long[] perStep = measure(16, 3);
            long[] sorted = perStep.clone();
            Arrays.sort(sorted);
            long median = sorted[sorted.length / 2];
            long over = Arrays.stream(perStep).filter(b -> b > BOUND_BYTES).count();
            // A JIT recompilation during the measured epochs may allocate once; a regression
            // shows in every step.
            assertTrue(median <= EVERY_STEP_BYTES && over <= 2,
                    "bytes allocated per training step after warm-up (bound " + BOUND_BYTES + "): " + Arrays.toString(perStep));
        } finally {
            Parallel.setThreads(before);
        }
    }

    /** Bytes per step of the last {@code epochs} of {@code warmEpochs + epochs}, first step of each epoch left out. */
    private static long[] measure(int warmEpochs, int epochs) throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        MnistDataset train = MnistDataset.bundledSample(MnistDataset.Split.TRAIN);
        Module model = LeNet5.build(new Rng(1));
        Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Sgd(model.params(), 0.01, 0.9));
        long[] out = new long[4096];
        int[] count = {0};
        long[] last = {-1};
        boolean[] measuring = {false};
        Trainer.Listener listener = new Trainer.Listener() {
            @Override public void onStep(Trainer t, EpochProgress progress) {
                long now = mx.getCurrentThreadAllocatedBytes();
                // the step since the last onStep of this epoch
                if (measuring[0] && last[0] >= 0 && count[0] < out.length) out[count[0]++] = now - last[0];
                last[0] = mx.getCurrentThreadAllocatedBytes();
            }
        };
        try (DataLoader loader = DataLoader.builder(train).batchSize(64).shuffle(2).dropLast(true).build()) {
            for (int e = 1; e <= warmEpochs + epochs; e++) {
                measuring[0] = e > warmEpochs;
                last[0] = -1;                       // the epoch's first step also opens the epoch
                trainer.trainEpoch(loader, e, listener);
            }
        }
        return Arrays.copyOf(out, count[0]);
    }
}
