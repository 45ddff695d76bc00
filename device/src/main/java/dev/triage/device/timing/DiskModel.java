package dev.triage.device.timing;

import dev.triage.device.DeviceOp;

/**
 * A timing model of a hard disk: seek, rotation and transfer, served one request at a time.
 *
 * <ul>
 *   <li><b>Seek</b> over a distance of {@code x} (a fraction of the full stroke; the byte offset is
 *       taken as proportional to the cylinder, a simplification of zoned recording): zero on the
 *       same track, otherwise {@code trackToTrack + (v0 - trackToTrack) * sqrt(x / x0)} for short
 *       seeks ({@code x <= x0}, the arm accelerates and decelerates) and linear from {@code v0} to
 *       {@code fullStroke} for long ones (it coasts), after Ruemmler and Wilkes, "An introduction
 *       to disk drive modeling" (1994). {@code v0} is solved for so that the average over
 *       uniformly random start and end points equals {@code averageSeek}. Monotone in distance.
 *   <li><b>Rotation</b>: the platters turn at {@code rpm}; the angle under the head at virtual time
 *       {@code t} is {@code (t mod period) / period}, and a byte's angle is its position within
 *       its track, so the rotational wait is deterministic. A request that starts where the
 *       previous one ended neither seeks nor waits (the track buffer streams sequential access).
 *   <li><b>Transfer</b> at the media rate of the zone: {@code zones} equal bands from the outer
 *       edge (offset 0, {@code outerRate}) to the inner ({@code innerRate}); a track holds
 *       {@code rate * period} bytes.
 *   <li>Writes cost as reads (write cache off); {@code commandOverhead} is added to every
 *       command; a flush or discard costs the overhead only.
 * </ul>
 *
 * <p>Defaults ({@link Params#DEFAULT}, a 7200 rpm 3.5" SATA drive of 4 TB, datasheet figures):
 * 8.5 ms average seek, 1 ms track-to-track, 16 ms full stroke, 4.17 ms average rotational
 * latency, 220 MB/s outer to 110 MB/s inner, 16 zones, 50 µs command overhead.
 */
public final class DiskModel implements ServiceTimeModel {

    /**
     * The drive's parameters; times in nanoseconds, rates in bytes per second.
     *
     * @param capacity bytes
     * @param rpm spindle speed
     * @param trackToTrackNanos the shortest seek (to the next cylinder)
     * @param averageSeekNanos the datasheet average seek (over random pairs of points)
     * @param fullStrokeNanos the longest seek (outer to inner edge)
     * @param shortSeekFraction {@code x0}: seeks up to this fraction of the stroke follow the
     *     square-root law, longer ones the linear law
     * @param outerRate media rate at the outer edge (offset 0)
     * @param innerRate media rate at the inner edge
     * @param zones number of recording zones
     * @param commandOverheadNanos controller time per command
     */
    public record Params(long capacity, int rpm, long trackToTrackNanos, long averageSeekNanos,
            long fullStrokeNanos, double shortSeekFraction, long outerRate, long innerRate, int zones,
            long commandOverheadNanos) {

        /** A 7200 rpm 4 TB SATA drive. */
        public static final Params DEFAULT = new Params(4_000_000_000_000L, 7200, 1_000_000, 8_500_000, 16_000_000,
                0.25, 220_000_000, 110_000_000, 16, 50_000);

        public Params {
            positive("capacity", capacity);
            positive("rpm", rpm);
            positive("trackToTrackNanos", trackToTrackNanos);
            positive("averageSeekNanos", averageSeekNanos);
            positive("fullStrokeNanos", fullStrokeNanos);
            positive("outerRate", outerRate);
            positive("innerRate", innerRate);
            positive("zones", zones);
            if (commandOverheadNanos < 0) {
                throw new IllegalArgumentException("commandOverheadNanos " + commandOverheadNanos + " is negative");
            }
            if (!(shortSeekFraction > 0 && shortSeekFraction < 1)) {
                throw new IllegalArgumentException("shortSeekFraction " + shortSeekFraction + " is not in (0, 1)");
            }
            if (!(trackToTrackNanos < averageSeekNanos && averageSeekNanos < fullStrokeNanos)) {
                throw new IllegalArgumentException("seek times must grow: trackToTrackNanos " + trackToTrackNanos
                        + " < averageSeekNanos " + averageSeekNanos + " < fullStrokeNanos " + fullStrokeNanos);
            }
            if (innerRate > outerRate) {
                throw new IllegalArgumentException("innerRate " + innerRate + " exceeds outerRate " + outerRate);
            }
        }

        /** The same drive with another capacity. */
        public Params withCapacity(long bytes) {
            return new Params(bytes, rpm, trackToTrackNanos, averageSeekNanos, fullStrokeNanos, shortSeekFraction,
                    outerRate, innerRate, zones, commandOverheadNanos);
        }

        private static void positive(String field, long v) {
            if (v <= 0) {
                throw new IllegalArgumentException(field + " " + v + " is not positive");
            }
        }
    }

    private final Params p;
    private final long periodNanos;
    private final double v0;
    private long head;

    public DiskModel(Params params) {
        this.p = params;
        this.periodNanos = 60_000_000_000L / params.rpm();
        this.v0 = solveV0(params);
        if (!(v0 >= params.trackToTrackNanos() && v0 <= params.fullStrokeNanos())) {
            throw new IllegalArgumentException("no seek curve fits: averageSeekNanos " + params.averageSeekNanos()
                    + " needs a seek of " + Math.round(v0) + " ns at shortSeekFraction " + params.shortSeekFraction()
                    + ", outside [trackToTrackNanos, fullStrokeNanos]");
        }
    }

    /** A model of the default drive ({@link Params#DEFAULT}) with the given capacity. */
    public static DiskModel ofCapacity(long bytes) {
        return new DiskModel(Params.DEFAULT.withCapacity(bytes));
    }

    /**
     * The seek time at x0 that makes the average seek over uniform random pairs (distance
     * density 2(1 - x)) equal the datasheet average; the average is linear in it.
     */
    private static double solveV0(Params p) {
        double x0 = p.shortSeekFraction();
        double t = p.trackToTrackNanos();
        double f = p.fullStrokeNanos();
        double i0 = 2 * x0 - x0 * x0;
        double i1 = 4.0 / 3 * x0 - 4.0 / 5 * x0 * x0;
        double j0 = (1 - x0) * (1 - x0);
        double j1 = j0 / 3;
        return (p.averageSeekNanos() - t * (i0 - i1) - f * j1) / (i1 + j0 - j1);
    }

    public Params params() {
        return p;
    }

    /** One revolution in nanoseconds. */
    public long periodNanos() {
        return periodNanos;
    }

    /** The head's position as a byte offset (where the last request ended). */
    public long head() {
        return head;
    }

    /** The media rate at {@code offset}, in bytes per second. */
    public long rateAt(long offset) {
        int zone = (int) Math.min(p.zones() - 1, Math.max(0, offset) * (double) p.zones() / p.capacity());
        if (p.zones() == 1) {
            return p.outerRate();
        }
        return p.outerRate() - (p.outerRate() - p.innerRate()) * zone / (p.zones() - 1);
    }

    /** Bytes on a track at {@code offset}. */
    public long trackBytesAt(long offset) {
        return Math.max(1, rateAt(offset) * periodNanos / 1_000_000_000L);
    }

    /** The seek time over {@code distance} bytes of offset; 0 within a track, monotone non-decreasing. */
    public long seekNanos(long distance) {
        long d = Math.abs(distance);
        if (d == 0) {
            return 0;
        }
        double x = Math.min(1.0, (double) d / p.capacity());
        double x0 = p.shortSeekFraction();
        double t = p.trackToTrackNanos();
        double s = x <= x0 ? t + (v0 - t) * Math.sqrt(x / x0) : v0 + (p.fullStrokeNanos() - v0) * (x - x0) / (1 - x0);
        return Math.round(s);
    }

    @Override
    public long serviceNanos(DeviceOp op, long offset, long length, long startNanos) {
        if (op == DeviceOp.FLUSH || op == DeviceOp.DISCARD) {
            return p.commandOverheadNanos();
        }
        long track = trackBytesAt(offset);
        long rotation;
        long seek;
        if (offset == head) {
            // streaming on from where the last request ended: the track buffer hides the gap
            seek = 0;
            rotation = 0;
        } else {
            seek = offset / track == head / track ? 0 : seekNanos(offset - head);
            long headPhase = Math.floorMod(startNanos + seek, periodNanos);
            long targetPhase = (long) ((double) (offset % track) / track * periodNanos);
            rotation = Math.floorMod(targetPhase - headPhase, periodNanos);
        }
        long transfer = (long) Math.ceil(length * 1e9 / rateAt(offset));
        head = offset + length;
        return p.commandOverheadNanos() + seek + rotation + transfer;
    }

    @Override
    public String describe() {
        return "disk " + p.rpm() + " rpm, seek " + p.trackToTrackNanos() / 1e6 + "/" + p.averageSeekNanos() / 1e6
                + "/" + p.fullStrokeNanos() / 1e6 + " ms, " + p.outerRate() / 1_000_000 + "-" + p.innerRate() / 1_000_000
                + " MB/s, " + p.capacity() + " bytes";
    }

    @Override
    public String toString() {
        return describe();
    }
}
