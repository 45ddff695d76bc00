package dev.triage.device.timing;

import dev.triage.device.BlockDevice;
import dev.triage.device.DeviceOp;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.HdrHistogram.Histogram;

/**
 * A device whose data lives in another {@link BlockDevice} and whose time is virtual: each
 * operation is passed on to the data device, then charged the service time a
 * {@link ServiceTimeModel} gives for it at the current virtual time, which then moves on by
 * that much. Nothing sleeps; the same sequence of operations always gives the same times.
 * Operations are served one at a time (queue depth 1): concurrent callers are serialised.
 *
 * <p>{@link #elapsedNanos()} is the virtual clock; per operation kind there are counts, total
 * service time and an HdrHistogram of service times (2 significant digits, up to an hour).
 * A failed operation of the data device is not charged.
 */
public final class TimedDevice implements BlockDevice {

    private static final long MAX_TRACKED = 3_600_000_000_000L;

    private final BlockDevice data;
    private final ServiceTimeModel model;
    private final long[] count = new long[DeviceOp.count()];
    private final long[] nanos = new long[DeviceOp.count()];
    private final Histogram[] histograms = new Histogram[DeviceOp.count()];
    private long clock;

    public TimedDevice(BlockDevice data, ServiceTimeModel model) {
        this.data = Objects.requireNonNull(data, "data");
        this.model = Objects.requireNonNull(model, "model");
        for (int i = 0; i < histograms.length; i++) {
            histograms[i] = new Histogram(MAX_TRACKED, 2);
        }
    }

    /** A memory device of {@code size} bytes timed as the default 7200 rpm disk of that capacity. */
    public static TimedDevice disk(BlockDevice data) {
        return new TimedDevice(data, DiskModel.ofCapacity(data.size()));
    }

    /** A device timed as the default SATA SSD. */
    public static TimedDevice ssd(BlockDevice data) {
        return new TimedDevice(data, new SsdModel());
    }

    public ServiceTimeModel model() {
        return model;
    }

    /** The virtual clock: the sum of service times and idle time so far, in nanoseconds. */
    public synchronized long elapsedNanos() {
        return clock;
    }

    /** Lets {@code nanos} of idle virtual time pass (a disk keeps turning, an SSD drains its cache). */
    public synchronized void advance(long idleNanos) {
        if (idleNanos < 0) {
            throw new IllegalArgumentException("idleNanos " + idleNanos + " is negative");
        }
        clock += idleNanos;
    }

    /** The number of operations of kind {@code op} served. */
    public synchronized long count(DeviceOp op) {
        return count[op.ordinal()];
    }

    /** The total service time of operations of kind {@code op}, in nanoseconds. */
    public synchronized long serviceNanos(DeviceOp op) {
        return nanos[op.ordinal()];
    }

    /** A copy of the histogram of service times (ns) of operations of kind {@code op}. */
    public synchronized Histogram histogram(DeviceOp op) {
        return histograms[op.ordinal()].copy();
    }

    private void charge(DeviceOp op, long offset, long length) {
        long t = model.serviceNanos(op, offset, length, clock);
        clock += t;
        int k = op.ordinal();
        count[k]++;
        nanos[k] += t;
        histograms[k].recordValue(Math.min(t, MAX_TRACKED));
    }

    @Override
    public long size() {
        return data.size();
    }

    @Override
    public int alignment() {
        return data.alignment();
    }

    @Override
    public synchronized void read(long offset, ByteBuffer dst) throws IOException {
        int len = dst == null ? 0 : dst.remaining();
        data.read(offset, dst);
        charge(DeviceOp.READ, offset, len);
    }

    @Override
    public synchronized void write(long offset, ByteBuffer src, boolean fua) throws IOException {
        int len = src == null ? 0 : src.remaining();
        data.write(offset, src, fua);
        charge(DeviceOp.WRITE, offset, len);
        if (fua) {
            charge(DeviceOp.FLUSH, offset, 0);
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        data.flush();
        charge(DeviceOp.FLUSH, 0, 0);
    }

    @Override
    public synchronized void discard(long offset, long length) throws IOException {
        data.discard(offset, length);
        charge(DeviceOp.DISCARD, offset, length);
    }

    @Override
    public synchronized void writeZeroes(long offset, long length) throws IOException {
        data.writeZeroes(offset, length);
        charge(DeviceOp.WRITE_ZEROES, offset, length);
    }

    @Override
    public String describe() {
        return "timed " + data.describe() + " as " + model.describe();
    }

    @Override
    public void close() throws IOException {
        data.close();
    }

    @Override
    public String toString() {
        return describe();
    }
}
