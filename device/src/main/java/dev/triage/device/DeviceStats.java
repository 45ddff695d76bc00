package dev.triage.device;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one device's operations: per {@link DeviceOp} the number of calls and of bytes,
 * the number of errors, and how often a caller's buffer had to be copied through an aligned
 * bounce buffer. Thread-safe, allocation-free when counting.
 */
public final class DeviceStats {

    private final LongAdder[] ops = adders();
    private final LongAdder[] bytes = adders();
    private final LongAdder errors = new LongAdder();
    private final LongAdder bounces = new LongAdder();

    private static LongAdder[] adders() {
        LongAdder[] a = new LongAdder[DeviceOp.count()];
        for (int i = 0; i < a.length; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    /** Counts one operation of {@code length} bytes. */
    public void count(DeviceOp op, long length) {
        ops[op.ordinal()].increment();
        bytes[op.ordinal()].add(length);
    }

    /** Counts one operation that failed with an I/O error. */
    public void error() {
        errors.increment();
    }

    /** Counts one copy through a bounce buffer (the caller's buffer was heap or not aligned). */
    public void bounce() {
        bounces.increment();
    }

    public long ops(DeviceOp op) {
        return ops[op.ordinal()].sum();
    }

    public long bytes(DeviceOp op) {
        return bytes[op.ordinal()].sum();
    }

    public long errors() {
        return errors.sum();
    }

    public long bounces() {
        return bounces.sum();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (DeviceOp op : DeviceOp.values()) {
            long n = ops(op);
            if (n > 0) {
                sb.append(op.name().toLowerCase(java.util.Locale.ROOT)).append('=').append(n)
                        .append('/').append(bytes(op)).append("B ");
            }
        }
        return sb.append("errors=").append(errors()).append(" bounces=").append(bounces()).toString();
    }
}
