package dev.triage.server.metrics;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Request counters of one export, by operation and I/O class: requests, bytes, and a latency
 * histogram with fixed buckets. Recording is a few atomic adds on preallocated arrays.
 */
public final class ExportMetrics {
    /** Operations counted, in label order. */
    public static final String[] OPS = {"read", "write", "flush", "trim", "cache", "write_zeroes", "block_status",
        "set_class", "other"};
    /** Class slots: 0 = no class, 1..MAX_CLASS = class id + 1; larger ids share the last slot. */
    public static final int CLASS_SLOTS = 64;
    /** Histogram bucket upper bounds in nanoseconds (the last bucket is +Inf). */
    static final long[] BUCKETS_NS = {25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000,
        10_000_000, 25_000_000, 50_000_000, 100_000_000, 250_000_000, 500_000_000, 1_000_000_000, 2_500_000_000L};
    static final int NB = BUCKETS_NS.length + 1;

    final String export;
    final AtomicLongArray requests = new AtomicLongArray(OPS.length * CLASS_SLOTS);
    final AtomicLongArray errors = new AtomicLongArray(OPS.length * CLASS_SLOTS);
    final AtomicLongArray bytes = new AtomicLongArray(OPS.length * CLASS_SLOTS);
    final AtomicLongArray nanos = new AtomicLongArray(OPS.length * CLASS_SLOTS);
    final AtomicLongArray buckets = new AtomicLongArray(OPS.length * CLASS_SLOTS * NB);

    ExportMetrics(String export) {
        this.export = export;
    }

    /** The op index of an NBD command type. */
    public static int opIndex(int nbdCommand) {
        return switch (nbdCommand) {
            case 0 -> 0;
            case 1 -> 1;
            case 3 -> 2;
            case 4 -> 3;
            case 5 -> 4;
            case 6 -> 5;
            case 7 -> 6;
            case 0x5401 -> 7;
            default -> 8;
        };
    }

    /** Records one request: op index, class id (or negative for none), bytes moved, latency, error (0 = ok). */
    public void record(int op, int ioClass, long byteCount, long latencyNanos, int error) {
        int c = ioClass < 0 ? 0 : Math.min(CLASS_SLOTS - 1, ioClass + 1);
        int i = op * CLASS_SLOTS + c;
        requests.incrementAndGet(i);
        if (error != 0) {
            errors.incrementAndGet(i);
        }
        bytes.addAndGet(i, byteCount);
        nanos.addAndGet(i, latencyNanos);
        int b = 0;
        while (b < BUCKETS_NS.length && latencyNanos > BUCKETS_NS[b]) {
            b++;
        }
        buckets.incrementAndGet(i * NB + b);
    }

    /** Requests counted for an op and class (for tests and status). */
    public long requests(int op, int ioClass) {
        int c = ioClass < 0 ? 0 : Math.min(CLASS_SLOTS - 1, ioClass + 1);
        return requests.get(op * CLASS_SLOTS + c);
    }
}
