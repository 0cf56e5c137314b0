package org.neurite.models.train;

/**
 * Where a training step's time goes: waiting for data, forward (with the loss), backward and the
 * optimizer update. Four counters and System.nanoTime, cheap enough to leave on.
 */
public final class PhaseTimer {
    public enum Phase { DATA, FORWARD, BACKWARD, UPDATE }

    private final long[] nanos = new long[Phase.values().length];
    private long mark = System.nanoTime();

    /** Starts timing from now (call at the beginning of an epoch). */
    public void restart() { mark = System.nanoTime(); }

    /** Charges the time since the last call to {@code phase}. */
    public void lap(Phase phase) {
        long now = System.nanoTime();
        nanos[phase.ordinal()] += now - mark;
        mark = now;
    }

    public double seconds(Phase phase) { return nanos[phase.ordinal()] / 1e9; }

    public double totalSeconds() {
        long s = 0;
        for (long n : nanos) s += n;
        return s / 1e9;
    }

    public void reset() {
        java.util.Arrays.fill(nanos, 0);
        restart();
    }

    /** "data 2% forward 40% backward 50% update 8%". */
    public String breakdown() {
        double total = Math.max(1e-12, totalSeconds());
        StringBuilder sb = new StringBuilder();
        for (Phase p : Phase.values()) {
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(p.name().toLowerCase(java.util.Locale.ROOT)).append(' ')
              .append(Math.round(100 * seconds(p) / total)).append('%');
        }
        return sb.toString();
    }
}
