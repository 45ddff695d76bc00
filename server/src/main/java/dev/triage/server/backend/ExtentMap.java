package dev.triage.server.backend;

import dev.triage.server.protocol.Nbd;
import java.util.function.IntUnaryOperator;

/**
 * What a backend knows about its blocks, one entry per granule: the allocation state (data,
 * zero, or trimmed hole that reads as zeros) and the last I/O class written there. It answers
 * both metadata contexts. Memory: two bytes per granule; the granule grows with the export so
 * the map stays under 2<sup>26</sup> entries.
 *
 * <p>Updates are plain stores on byte arrays: a status query racing with a write to the same
 * range may see either state, which the protocol allows (status is a hint, 0 always safe).
 */
public final class ExtentMap {
    /** Allocation state: data (or unknown). */
    public static final byte DATA = 0;
    /** Allocation state: reads as zeros, space allocated. */
    public static final byte ZERO = Nbd.STATE_ZERO;
    /** Allocation state: trimmed; reads as zeros, nothing allocated. */
    public static final byte HOLE = Nbd.STATE_HOLE | Nbd.STATE_ZERO;

    private static final int MAX_GRANULES = 1 << 26;

    private final long size;
    private final int shift;
    private final byte[] state;
    private final byte[] classPlusOne;
    private final IntUnaryOperator zoneOfClass;

    /**
     * @param size        export size in bytes
     * @param minGranule  the smallest granule (a power of 2, e.g. 4096)
     * @param zoneOfClass the zone a class is placed in ({@link ExportBackend#NO_ZONE} if none)
     */
    public ExtentMap(long size, int minGranule, IntUnaryOperator zoneOfClass) {
        if (Integer.bitCount(minGranule) != 1) {
            throw new IllegalArgumentException("granule must be a power of 2: " + minGranule);
        }
        int s = Integer.numberOfTrailingZeros(minGranule);
        while (((size + (1L << s) - 1) >>> s) > MAX_GRANULES) {
            s++;
        }
        this.size = size;
        this.shift = s;
        int n = (int) ((size + (1L << s) - 1) >>> s);
        this.state = new byte[n];
        this.classPlusOne = new byte[n];
        this.zoneOfClass = zoneOfClass;
    }

    /** The granule size in bytes. */
    public int granule() {
        return 1 << shift;
    }

    /** The state of the granule holding {@code offset}. */
    public byte stateAt(long offset) {
        return state[(int) (offset >>> shift)];
    }

    /** Marks the whole range as holding data written with {@code ioClass} (or no class). */
    public void markData(long offset, long length, int ioClass) {
        if (length <= 0) {
            return;
        }
        int first = (int) (offset >>> shift);
        int last = (int) ((offset + length - 1) >>> shift);
        for (int g = first; g <= last; g++) {
            state[g] = DATA;
        }
        classify(offset, length, ioClass);
    }

    /** Records {@code ioClass} for every granule the range touches (nothing when no class). */
    public void classify(long offset, long length, int ioClass) {
        if (ioClass < 0 || ioClass > 254 || length <= 0) {
            return;
        }
        int first = (int) (offset >>> shift);
        int last = (int) ((offset + length - 1) >>> shift);
        byte v = (byte) (ioClass + 1);
        for (int g = first; g <= last; g++) {
            classPlusOne[g] = v;
        }
    }

    /** Marks the granules fully inside the range with {@code newState} ({@link #ZERO} or {@link #HOLE}). */
    public void markFull(long offset, long length, byte newState) {
        long g0 = (offset + granule() - 1) >>> shift;
        long end = offset + length;
        long g1 = end == size ? (end + granule() - 1) >>> shift : end >>> shift; // exclusive
        for (long g = g0; g < g1; g++) {
            state[(int) g] = newState;
        }
    }

    /** Whether any granule touched by the range is a trimmed hole. */
    public boolean anyHole(long offset, long length) {
        if (length <= 0) {
            return false;
        }
        int first = (int) (offset >>> shift);
        int last = (int) ((offset + length - 1) >>> shift);
        for (int g = first; g <= last; g++) {
            if (state[g] == HOLE) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reports the extents of {@code [offset, offset + length)} for {@code context}, merging
     * neighbouring granules with the same status; the first and last extents are clipped to the
     * range.
     */
    public void blockStatus(long offset, long length, MetaContext context, ExtentSink sink) {
        long end = Math.min(size, offset + length);
        long pos = offset;
        while (pos < end) {
            int g = (int) (pos >>> shift);
            int status = statusOf(g, context);
            long runEnd = Math.min(end, ((long) g + 1) << shift);
            while (runEnd < end && statusOf((int) (runEnd >>> shift), context) == status) {
                runEnd = Math.min(end, runEnd + granule());
            }
            if (!sink.extent(runEnd - pos, status)) {
                return;
            }
            pos = runEnd;
        }
    }

    private int statusOf(int g, MetaContext context) {
        if (context == MetaContext.BASE_ALLOCATION) {
            return state[g];
        }
        int c = (classPlusOne[g] & 0xff) - 1;
        return ClassStatus.encode(c, c < 0 ? ExportBackend.NO_ZONE : zoneOfClass.applyAsInt(c));
    }
}
