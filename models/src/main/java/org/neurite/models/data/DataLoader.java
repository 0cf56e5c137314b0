package org.neurite.models.data;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * Cuts a {@link Dataset} into mini-batches, epoch after epoch.
 *
 * <p><b>Order.</b> Epoch {@code e} visits the samples in the order of a Fisher-Yates shuffle
 * drawn from a fresh {@code new Rng(seed * 1_000_003 + e)}, so the order depends only on the seed
 * and the epoch index: a run resumed at epoch {@code e} sees the same batches as one that never
 * stopped. Without shuffling the order is {@code 0..n-1}.
 *
 * <p><b>Batches.</b> Inputs are {@code [B, sampleShape...]}; targets are {@code [B]} floats holding
 * class indices. With drop-last, a final partial batch is skipped; without it, it comes as a
 * smaller {@code [r, ...]} batch. The tensors belong to the loader and are reused: a batch stays
 * valid until the next {@link Epoch#next()}. After the first epoch nothing is allocated per batch.
 *
 * <p><b>Prefetch.</b> With prefetch on, a background thread assembles the next batch into a second
 * buffer while the trainer computes on the current one (double buffering). The batches are the
 * same, bit for bit, with prefetch on or off. Closing the epoch stops and joins the thread.
 *
 * <pre>{@code
 * DataLoader loader = DataLoader.builder(train).batchSize(64).shuffle(seed).dropLast(true).build();
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     try (DataLoader.Epoch e = loader.epoch(epoch)) {
 *         while (e.next()) {
 *             Tensor x = e.inputs();   // [64, 1, 28, 28]
 *             Tensor y = e.targets();  // [64]
 *         }
 *     }
 * }
 * }</pre>
 */
public final class DataLoader implements AutoCloseable {
    /** Multiplier that spreads consecutive seeds apart before the epoch index is added. */
    public static final long SEED_STRIDE = 1_000_003L;

    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final boolean prefetch;
    private final Slot[] slots = {new Slot(), new Slot()};
    private final int[] order; // the current epoch's sample order, reused
    private Epoch open;

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.dropLast = b.dropLast;
        this.prefetch = b.prefetch;
        this.order = new int[dataset.size()];
    }

    /** Starts a builder: batch size 32, no shuffle, keep the last partial batch, prefetch on. */
    public static Builder builder(Dataset dataset) {
        return new Builder(dataset);
    }

    public Dataset dataset() { return dataset; }

    public int batchSize() { return batchSize; }

    /** Batches in every epoch: {@code n / B} with drop-last, {@code ceil(n / B)} without. */
    public int batchesPerEpoch() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** Samples seen per epoch (all of them, or those in full batches with drop-last). */
    public int samplesPerEpoch() {
        return dropLast ? batchesPerEpoch() * batchSize : dataset.size();
    }

    /** The order in which epoch {@code epoch} visits the samples (a new array). */
    public int[] order(int epoch) {
        int[] o = new int[dataset.size()];
        fillOrder(epoch, o);
        return o;
    }

    private void fillOrder(int epoch, int[] o) {
        for (int i = 0; i < o.length; i++) o[i] = i;
        if (shuffle) new Rng(seed * SEED_STRIDE + epoch).shuffle(o);
    }

    /** Opens epoch {@code epoch} from its first batch. */
    public Epoch epoch(int epoch) {
        return epoch(epoch, 0);
    }

    /**
     * Opens epoch {@code epoch} starting at batch {@code firstBatch} (resuming mid-epoch). One epoch
     * may be open at a time.
     */
    public Epoch epoch(int epoch, int firstBatch) {
        if (epoch < 0) throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        if (firstBatch < 0 || firstBatch > batchesPerEpoch()) {
            throw new IllegalArgumentException("first batch " + firstBatch + " not in 0.." + batchesPerEpoch());
        }
        if (open != null) throw new IllegalStateException("epoch " + open.epoch + " is still open; close it first");
        fillOrder(epoch, order);
        open = new Epoch(epoch, firstBatch);
        return open;
    }

    /** Closes the open epoch, if any, stopping its prefetch thread. */
    @Override public void close() {
        if (open != null) open.close();
    }

    /** Writes batch {@code b} of the current order into {@code s}. */
    private void fill(Slot s, int b) {
        int from = b * batchSize;
        int rows = Math.min(batchSize, dataset.size() - from);
        s.select(rows, batchSize, dataset.sampleShape());
        for (int j = 0; j < rows; j++) {
            int i = order[from + j];
            dataset.copyInput(i, s.inputs, j);
            s.targets.set(j, dataset.label(i));
        }
    }

    /**
     * One pass over the data. {@link #next()} advances to the next batch; {@link #inputs()} and
     * {@link #targets()} are valid until the following {@code next()}. Close it (try-with-resources)
     * to stop the prefetch thread, also when leaving early.
     */
    public final class Epoch implements AutoCloseable {
        private static final Slot END = new Slot(); // marks the end of the producer's batches

        private final int epoch;
        private final int firstBatch;
        private final int batches = batchesPerEpoch();
        private final BlockingQueue<Slot> free = new ArrayBlockingQueue<>(slots.length);
        private final BlockingQueue<Slot> ready = new ArrayBlockingQueue<>(slots.length + 1);
        private final Thread producer;
        private volatile boolean closed;
        private volatile Throwable failure;
        private int nextBatch;
        private Slot current;
        private boolean finished;

        private Epoch(int epoch, int firstBatch) {
            this.epoch = epoch;
            this.firstBatch = firstBatch;
            this.nextBatch = firstBatch;
            if (prefetch) {
                for (Slot s : slots) free.add(s);
                producer = Thread.ofPlatform().daemon().name("neurite-prefetch-epoch-" + epoch).unstarted(this::produce);
                producer.start();
            } else {
                producer = null;
            }
        }

        private void produce() {
            try {
                for (int b = firstBatch; b < batches && !closed; b++) {
                    Slot s = free.take();
                    fill(s, b);
                    ready.put(s);
                }
                ready.put(END);
            } catch (InterruptedException e) {
                // close() stops us; nothing to hand over
            } catch (RuntimeException | Error e) { // handed to the trainer's thread by next()
                failure = e;
                ready.offer(END); // room is guaranteed: capacity is one more than the slots
            }
        }

        /** Advances to the next batch; false when the epoch is over. */
        public boolean next() {
            if (closed) throw new IllegalStateException("epoch " + epoch + " is closed");
            if (finished) return false;
            if (!prefetch) {
                if (nextBatch >= batches) return finish();
                current = slots[0];
                fill(current, nextBatch++);
                return true;
            }
            if (current != null) free.add(current); // never blocks: both slots fit
            current = null;
            Slot s = takeReady();
            if (s == END) return finish();
            current = s;
            nextBatch++;
            return true;
        }

        private Slot takeReady() {
            try {
                return ready.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for batch " + nextBatch + " of epoch " + epoch, e);
            }
        }

        private boolean finish() {
            finished = true;
            current = null;
            if (failure != null) {
                throw new IllegalStateException("loading batch " + nextBatch + " of epoch " + epoch + " failed: " + failure, failure);
            }
            return false;
        }

        /** Inputs of the current batch, {@code [rows, sampleShape...]}. */
        public Tensor inputs() { return current().inputs; }

        /** Targets of the current batch, {@code [rows]} class indices as floats. */
        public Tensor targets() { return current().targets; }

        /** Rows in the current batch: the batch size, or less for a final partial batch. */
        public int rows() { return current().rows; }

        /** Index of the current batch within the epoch. */
        public int batchIndex() {
            current();
            return nextBatch - 1;
        }

        public int epochIndex() { return epoch; }

        /** Batches in this epoch, counting any skipped by a mid-epoch start. */
        public int batches() { return batches; }

        private Slot current() {
            if (current == null) throw new IllegalStateException("no current batch: call next() first");
            return current;
        }

        /** Stops and joins the prefetch thread; the loader can then open another epoch. */
        @Override public void close() {
            if (closed) return;
            closed = true;
            current = null;
            if (producer != null) {
                producer.interrupt();
                boolean interrupted = false;
                while (true) {
                    try {
                        producer.join();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) Thread.currentThread().interrupt();
            }
            open = null;
        }
    }

    /** One batch buffer: a full-size pair of tensors and, made on first need, a pair for the last partial batch. */
    private static final class Slot {
        private Tensor fullInputs, fullTargets, partInputs, partTargets;
        private Tensor inputs, targets;
        private int rows;

        void select(int rows, int batchSize, Shape sample) {
            this.rows = rows;
            if (rows == batchSize) {
                if (fullInputs == null) {
                    fullInputs = Tensor.zeros(batchShape(rows, sample));
                    fullTargets = Tensor.zeros(rows);
                }
                inputs = fullInputs;
                targets = fullTargets;
            } else {
                if (partInputs == null || partTargets.size() != rows) {
                    partInputs = Tensor.zeros(batchShape(rows, sample));
                    partTargets = Tensor.zeros(rows);
                }
                inputs = partInputs;
                targets = partTargets;
            }
        }

        private static Shape batchShape(int rows, Shape sample) {
            int[] d = new int[sample.rank() + 1];
            d[0] = rows;
            for (int i = 0; i < sample.rank(); i++) d[i + 1] = sample.dim(i);
            return Shape.of(d);
        }
    }

    /** Settings of a {@link DataLoader}. */
    public static final class Builder {
        private final Dataset dataset;
        private int batchSize = 32;
        private boolean shuffle;
        private long seed;
        private boolean dropLast;
        private boolean prefetch = true;

        private Builder(Dataset dataset) {
            this.dataset = dataset;
        }

        public Builder batchSize(int b) {
            if (b < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + b);
            this.batchSize = b;
            return this;
        }

        /** Shuffle every epoch, with the order derived from {@code seed} and the epoch index. */
        public Builder shuffle(long seed) {
            this.shuffle = true;
            this.seed = seed;
            return this;
        }

        /** Skip a final partial batch (so every batch has the same shape). */
        public Builder dropLast(boolean drop) {
            this.dropLast = drop;
            return this;
        }

        /** Assemble the next batch on a background thread (default on). */
        public Builder prefetch(boolean on) {
            this.prefetch = on;
            return this;
        }

        public DataLoader build() {
            return new DataLoader(this);
        }
    }
}
