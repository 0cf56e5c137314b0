package org.neurite.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The one CPU thread pool. Work is split into contiguous chunks that depend only on the thread
 * count, so the same thread count gives the same floating-point result. A parallel region started
 * from inside another runs inline on the calling thread (batch-parallel layers call single-threaded
 * GEMMs without oversubscribing the cores).
 *
 * <p>A training step opens a few dozen short regions (tens of microseconds each), so the hand-off
 * must cost far less than that. A ForkJoinPool submit + join measured 25-50 us per region here (its
 * worker parks between regions and waking it is a system call); these workers instead spin for
 * {@link #SPIN_NANOS} after each region, watching a volatile ticket, and only then park. The
 * caller publishes a region by writing the body and handing each worker it needs a new ticket;
 * then the caller and the workers claim chunks from one counter, and the caller spins until all
 * have counted down: about a microsecond when the workers are awake.
 * Only one region runs at a time; a region started while another thread's region runs (two
 * trainers in one JVM) runs inline on its own thread, with the same result.
 */
public final class Parallel {
    /** The body of a parallel loop: handles indices {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** How long an idle worker spins before it parks (a step's regions come closer than this). */
    private static final long SPIN_NANOS = 2_000_000L;

    private static final ThreadLocal<Boolean> IN_REGION = ThreadLocal.withInitial(() -> false);
    private static volatile int threads = defaultThreads();
    private static volatile Pool pool;

    private Parallel() { }

    private static int defaultThreads() {
        String env = System.getenv("NEURITE_THREADS");
        if (env != null && !env.isBlank()) {
            try {
                int n = Integer.parseInt(env.trim());
                if (n > 0) return n;
            } catch (NumberFormatException ignored) {
                // fall through to the core count
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** Threads used by parallel regions (the caller counts as one). */
    public static int threads() { return threads; }

    /** Sets the thread count for all later regions; 1 makes everything sequential. */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be >= 1, got " + n);
        if (n != threads) {
            Pool old = pool;
            pool = null;
            threads = n;
            if (old != null) old.shutdown();
        }
    }

    /** True inside a parallel region (nested regions then run inline). */
    public static boolean inRegion() { return IN_REGION.get(); }

    /** Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} chunks. */
    public static void forRange(int n, RangeBody body) {
        forRange(n, 1, body);
    }

    /**
     * Runs {@code body} over {@code [0, n)} in chunks of at least {@code grain} indices, at most one
     * chunk per thread: chunk c of C is {@code [n*c/C, n*(c+1)/C)}. Small loops and nested calls run
     * on the calling thread. An exception thrown by any chunk is rethrown here after all chunks end.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int chunks = Math.min(threads, Math.max(1, n / Math.max(1, grain)));
        if (chunks <= 1 || IN_REGION.get()) {
            body.run(0, n);
            return;
        }
        Pool p = pool();
        if (p.workers.length < chunks - 1 || !p.tryEnter()) {
            runInRegion(body, 0, n);     // another thread's region is running: do it all here
            return;
        }
        try {
            p.run(n, chunks, body);
        } finally {
            p.exit();
        }
    }

    /**
     * Runs {@code body} over {@code [0, n)} one index at a time ({@code body.run(i, i + 1)}), each
     * index claimed by whichever thread is free, so n may exceed the thread count: for a few
     * pieces of work that may take unequal time on a shared machine. Which thread runs an index
     * never changes what it computes. On one thread, for n = 1 and nested in a region it is one
     * call {@code body.run(0, n)} on the calling thread, so bodies must take any range.
     */
    public static void forEach(int n, RangeBody body) {
        if (n <= 0) return;
        if (threads == 1 || n == 1 || IN_REGION.get()) {
            body.run(0, n);
            return;
        }
        Pool p = pool();
        if (!p.tryEnter()) {
            runInRegion(body, 0, n);
            return;
        }
        try {
            p.run(n, n, body);
        } finally {
            p.exit();
        }
    }

    private static void runInRegion(RangeBody body, int from, int to) {
        IN_REGION.set(true);
        try {
            body.run(from, to);
        } finally {
            IN_REGION.set(false);
        }
    }

    private static Pool pool() {
        Pool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null) {
                    p = new Pool(threads - 1);
                    pool = p;
                }
            }
        }
        return p;
    }

    /**
     * threads - 1 workers. The chunks of a region are claimed from one counter by the caller and
     * the woken workers alike, so a worker that a busy machine leaves without a core for a while
     * does not hold the region up: the caller runs its chunk. Which thread runs a chunk never
     * changes the chunk's bounds, so results stay the same.
     */
    private static final class Pool {
        final Worker[] workers;
        final AtomicInteger busy = new AtomicInteger();     // 1 while a region runs
        final AtomicInteger pending = new AtomicInteger();  // chunks not yet finished
        final AtomicLong claim = new AtomicLong();          // region << 32 | next unclaimed chunk
        long region;                                        // regions run so far
        volatile boolean stopped;
        // The current region: written before `claim` is set for it, stable while a chunk is unfinished.
        RangeBody body;
        int n;
        int chunks;
        volatile Throwable failure;

        Pool(int count) {
            workers = new Worker[count];
            for (int w = 0; w < count; w++) {
                workers[w] = new Worker(this, w);
                workers[w].start();
            }
        }

        boolean tryEnter() {
            return busy.compareAndSet(0, 1);
        }

        void exit() {
            busy.set(0);
        }

        void run(int n, int chunks, RangeBody body) {
            // Close the last region's counter before its fields change: a worker still claiming in
            // it (it read the counter, then `chunks`) must fail its compare-and-set. Without this a
            // worker could read the last region's exhausted counter and this region's larger
            // `chunks`, claim a chunk that does not exist, and decrement this region's `pending`
            // once too often: the caller then waited forever for -1 to become 0.
            claim.set((region + 1) << 32 | Integer.MAX_VALUE);
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            this.failure = null;
            pending.set(chunks);
            region++;
            claim.set(region << 32);                        // volatile: publishes the fields above
            for (int w = 0; w < Math.min(chunks - 1, workers.length); w++) {
                workers[w].ticket = region;
                if (workers[w].parked) LockSupport.unpark(workers[w]);
            }
            IN_REGION.set(true);
            try {
                for (int c; (c = claim(region)) >= 0; ) runChunk(c);
            } finally {
                IN_REGION.set(false);
            }
            // Chunks claimed by workers: spin briefly, then yield so a descheduled one gets a core.
            for (int spins = 0; pending.get() != 0; spins++) {
                if (spins < 1 << 10) Thread.onSpinWait();
                else Thread.yield();
            }
            this.body = null;
            Throwable t = failure;
            if (t instanceof RuntimeException e) throw e;
            if (t instanceof Error e) throw e;
            if (t != null) throw new IllegalStateException("parallel region failed", t);
        }

        /**
         * The next unclaimed chunk of region {@code r}, or -1 when none is left (or r is over).
         * A successful claim keeps r unfinished, so the fields cannot change under the claimer.
         */
        int claim(long r) {
            while (true) {
                long v = claim.get();
                int c = (int) v;
                if (v >>> 32 != r || c >= chunks) return -1;
                if (claim.compareAndSet(v, v + 1)) return c;
            }
        }

        void runChunk(int c) {
            try {
                body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
            } catch (Throwable t) {
                failure = t;
            } finally {
                pending.decrementAndGet();
            }
        }

        void shutdown() {
            stopped = true;
            for (Worker w : workers) LockSupport.unpark(w);
        }
    }

    private static final class Worker extends Thread {
        final Pool pool;
        volatile boolean parked;
        volatile long ticket;       // the last region this worker has a chunk in

        Worker(Pool pool, int index) {
            super("neurite-worker-" + (index + 1));
            this.pool = pool;
            setDaemon(true);
        }

        @Override public void run() {
            IN_REGION.set(true);
            long seen = 0;
            while (true) {
                long now = await(seen);
                if (now < 0) return;
                seen = now;
                for (int c; (c = pool.claim(now)) >= 0; ) pool.runChunk(c);
            }
        }

        /** Waits for a ticket newer than {@code seen}: spins, then parks. -1 once the pool is stopped. */
        private long await(long seen) {
            long deadline = 0;
            for (int spins = 0; ; spins++) {
                long r = ticket;
                if (r != seen) return r;
                if (pool.stopped) return -1;
                if ((spins & 255) != 255) {
                    Thread.onSpinWait();
                    continue;
                }
                long t = System.nanoTime();
                if (deadline == 0) deadline = t + SPIN_NANOS;
                if (t < deadline) {
                    // Past the first few microseconds, let other runnable threads (the caller's
                    // serial work on a loaded machine) have this core; yield returns at once on an idle one.
                    if (spins > 1 << 12) Thread.yield();
                    continue;
                }
                parked = true;                      // then re-check, so an unpark cannot be missed
                if (ticket == seen && !pool.stopped) LockSupport.park(this);
                parked = false;
            }
        }
    }
}
