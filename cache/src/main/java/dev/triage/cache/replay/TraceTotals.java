package dev.triage.cache.replay;

import dev.triage.hints.Op;

/** What a replay saw of the trace: requests per operation, touches, bytes. */
public final class TraceTotals {
    final long[] requests = new long[Op.values().length];
    final long[] bytes = new long[Op.values().length];
    long touches;
    long readTouches;
    long discardedBlocks;
    long skippedLines;

    public long requests(Op op) {
        return requests[op.ordinal()];
    }

    public long requests() {
        long n = 0;
        for (long r : requests) {
            n += r;
        }
        return n;
    }

    public long bytes(Op op) {
        return bytes[op.ordinal()];
    }

    /** Block touches (reads and writes). */
    public long touches() {
        return touches;
    }

    public long readTouches() {
        return readTouches;
    }

    public long discardedBlocks() {
        return discardedBlocks;
    }

    /** Malformed lines skipped ({@code --skip-bad}). */
    public long skippedLines() {
        return skippedLines;
    }
}
