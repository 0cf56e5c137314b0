package org.neurite.runtime;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * The one CPU thread pool. Work is split into contiguous chunks that depend only on the thread
 * count, so the same thread count gives the same floating-point result. A parallel region started
 * from inside another runs inline on the calling thread (batch-parallel layers call single-threaded
 * GEMMs without oversubscribing the cores).
 */
public final class Parallel {
    /** The body of a parallel loop: handles indices {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static final ThreadLocal<Boolean> IN_REGION = ThreadLocal.withInitial(() -> false);
    private static volatile int threads = defaultThreads();
    private static volatile ForkJoinPool pool;

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
            ForkJoinPool old = pool;
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
     * chunk per thread. Small loops and nested calls run on the calling thread.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int chunks = Math.min(threads, Math.max(1, n / Math.max(1, grain)));
        if (chunks <= 1 || IN_REGION.get()) {
            body.run(0, n);
            return;
        }
        ForkJoinPool p = pool();
        @SuppressWarnings("unchecked")
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            tasks[c - 1] = p.submit(() -> runInRegion(body, from, to));
        }
        runInRegion(body, 0, (int) ((long) n / chunks));
        for (ForkJoinTask<?> t : tasks) t.join();
    }

    private static void runInRegion(RangeBody body, int from, int to) {
        boolean was = IN_REGION.get();
        IN_REGION.set(true);
        try {
            body.run(from, to);
        } finally {
            IN_REGION.set(was);
        }
    }

    private static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null) {
                    int workers = Math.max(1, threads - 1);
                    p = new ForkJoinPool(workers, pool -> {
                        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                        t.setDaemon(true);
                        t.setName("neurite-worker-" + t.getPoolIndex());
                        return t;
                    }, null, false);
                    pool = p;
                }
            }
        }
        return p;
    }
}
