package dev.triage.device.timing;

import dev.triage.device.DeviceOp;

/**
 * A timing model of a flash SSD, served one request at a time.
 *
 * <ul>
 *   <li>A read of one page costs {@code readLatency}; a larger read is split into pages spread
 *       over {@code channels} flash channels, so it costs {@code readLatency} plus the larger of
 *       the extra channel rounds ({@code (ceil(pages / channels) - 1) * readPage}) and the
 *       host-interface transfer of the bytes past the first page at {@code readBandwidth}.
 *   <li>A write lands in the drive's write cache: {@code writeLatency} plus the interface
 *       transfer past the first page at {@code writeBandwidth}. The cache ({@code cacheBytes})
 *       drains to flash at {@code programBandwidth} in virtual time (programming and erasing,
 *       slower than reading: sustained writes cost more than reads); a write that does not fit
 *       waits until enough has drained. Idle time (see {@link TimedDevice#advance}) drains it.
 *   <li>Write zeroes costs as a write of its length; a discard (TRIM) costs {@code trimLatency};
 *       a flush costs {@code flushLatency} plus draining the cache when {@code flushDrains}.
 * </ul>
 *
 * <p>Defaults ({@link Params#DEFAULT}, a SATA TLC SSD): 80 µs read, 20 µs write to cache, 16 KiB
 * pages, 8 channels, 50 µs page read, 550/520 MB/s interface read/write, 256 MiB write cache
 * draining at 400 MB/s, 50 µs trim, 100 µs flush without drain.
 */
public final class SsdModel implements ServiceTimeModel {

    /**
     * The drive's parameters; times in nanoseconds, rates in bytes per second.
     *
     * @param readLatencyNanos a one-page read
     * @param writeLatencyNanos a one-page write into the cache
     * @param pageSize flash page in bytes
     * @param channels flash channels working in parallel
     * @param readPageNanos time of a page read on one channel
     * @param readBandwidth host interface, reads
     * @param writeBandwidth host interface, writes
     * @param cacheBytes write cache size
     * @param programBandwidth rate at which the cache drains to flash (program and erase)
     * @param trimLatencyNanos a discard
     * @param flushLatencyNanos a flush
     * @param flushDrains whether a flush also waits for the write cache to drain
     */
    public record Params(long readLatencyNanos, long writeLatencyNanos, int pageSize, int channels,
            long readPageNanos, long readBandwidth, long writeBandwidth, long cacheBytes, long programBandwidth,
            long trimLatencyNanos, long flushLatencyNanos, boolean flushDrains) {

        /** A SATA TLC SSD. */
        public static final Params DEFAULT = new Params(80_000, 20_000, 16384, 8, 50_000, 550_000_000, 520_000_000,
                256L << 20, 400_000_000, 50_000, 100_000, false);

        public Params {
            String[] names = {"readLatencyNanos", "writeLatencyNanos", "pageSize", "channels", "readPageNanos",
                "readBandwidth", "writeBandwidth", "cacheBytes", "programBandwidth"};
            long[] values = {readLatencyNanos, writeLatencyNanos, pageSize, channels, readPageNanos, readBandwidth,
                writeBandwidth, cacheBytes, programBandwidth};
            for (int i = 0; i < names.length; i++) {
                if (values[i] <= 0) {
                    throw new IllegalArgumentException(names[i] + " " + values[i] + " is not positive");
                }
            }
            if (trimLatencyNanos < 0 || flushLatencyNanos < 0) {
                throw new IllegalArgumentException("trimLatencyNanos and flushLatencyNanos must not be negative");
            }
        }
    }

    private final Params p;
    private long cacheUsed;
    private long cacheAt;

    public SsdModel(Params params) {
        this.p = params;
    }

    public SsdModel() {
        this(Params.DEFAULT);
    }

    public Params params() {
        return p;
    }

    /** Bytes in the write cache at virtual time {@code nowNanos} (drains the model up to then). */
    public long cacheUsed(long nowNanos) {
        drainTo(nowNanos);
        return cacheUsed;
    }

    private void drainTo(long now) {
        if (now > cacheAt) {
            long drained = (long) ((now - cacheAt) * (p.programBandwidth() / 1e9));
            cacheUsed = Math.max(0, cacheUsed - drained);
            cacheAt = now;
        }
    }

    private static long nanos(long bytes, long rate) {
        return (long) Math.ceil(bytes * 1e9 / rate);
    }

    @Override
    public long serviceNanos(DeviceOp op, long offset, long length, long startNanos) {
        drainTo(startNanos);
        switch (op) {
            case READ -> {
                long pages = Math.max(1, (length + p.pageSize() - 1) / p.pageSize());
                long rounds = (pages + p.channels() - 1) / p.channels() - 1;
                long bus = nanos(Math.max(0, length - p.pageSize()), p.readBandwidth());
                return p.readLatencyNanos() + Math.max(rounds * p.readPageNanos(), bus);
            }
            case WRITE, WRITE_ZEROES -> {
                long stall = 0;
                long need = cacheUsed + length - p.cacheBytes();
                if (need > 0) {
                    stall = nanos(need, p.programBandwidth());
                    drainTo(startNanos + stall);
                }
                cacheUsed += Math.min(length, p.cacheBytes());
                long bus = nanos(Math.max(0, length - p.pageSize()), p.writeBandwidth());
                return stall + p.writeLatencyNanos() + bus;
            }
            case DISCARD -> {
                return p.trimLatencyNanos();
            }
            case FLUSH -> {
                long t = p.flushLatencyNanos();
                if (p.flushDrains() && cacheUsed > 0) {
                    t += nanos(cacheUsed, p.programBandwidth());
                    cacheUsed = 0;
                    cacheAt = startNanos + t;
                }
                return t;
            }
            default -> throw new IllegalArgumentException("op " + op);
        }
    }

    @Override
    public String describe() {
        return "ssd read " + p.readLatencyNanos() / 1000 + " µs, write " + p.writeLatencyNanos() / 1000 + " µs, "
                + p.channels() + " channels, cache " + (p.cacheBytes() >> 20) + " MiB at "
                + p.programBandwidth() / 1_000_000 + " MB/s";
    }

    @Override
    public String toString() {
        return describe();
    }
}
