package dev.triage.cache.live;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The reference model of one volume for crash tests: per 512-byte sector, the value it must
 * read now, the value made durable by the last completed flush, and the values written since
 * (after a crash a sector may read the durable one or any of those, nothing else). A value is a
 * number unique in the whole test; its sector content names it, the volume's incarnation and the
 * sector, so that a sector of another volume, or of an earlier volume of the same id, is never
 * taken for an allowed one. Value 0 is zeros.
 */
final class SectorModel {
    static final int SECTOR = 512;
    static final long GARBAGE = -1;

    final int id;
    final int region;
    final long incarnation;
    final int sectors;
    final RegionBacking backing;
    final long[] cur;
    final long[] flushed;
    private final long[][] since;
    private final int[] sinceCount;

    SectorModel(int id, int region, long incarnation, long bytes, RegionBacking backing) {
        this.id = id;
        this.region = region;
        this.incarnation = incarnation;
        this.sectors = (int) (bytes / SECTOR);
        this.backing = backing;
        cur = new long[sectors];
        flushed = new long[sectors];
        since = new long[sectors][];
        sinceCount = new int[sectors];
    }

    /** A write (or zeroing, value 0) of sector {@code s} was issued; it may or may not survive a crash. */
    void issued(int s, long value) {
        if (since[s] == null) {
            since[s] = new long[4];
        } else if (sinceCount[s] == since[s].length) {
            since[s] = Arrays.copyOf(since[s], since[s].length * 2);
        }
        since[s][sinceCount[s]++] = value;
    }

    /** A write of sector {@code s} completed. */
    void completed(int s, long value, boolean durable) {
        cur[s] = value;
        if (durable) {
            settle(s, value);
        } else {
            issued(s, value);
        }
    }

    /** A flush completed: what reads now is durable. */
    void flushed() {
        for (int s = 0; s < sectors; s++) {
            settle(s, cur[s]);
        }
    }

    /** After a crash: the sector read {@code value}; true when allowed. From then on it is fixed. */
    boolean recovered(int s, long value) {
        boolean ok = value == flushed[s];
        for (int i = 0; !ok && i < sinceCount[s]; i++) {
            ok = since[s][i] == value;
        }
        settle(s, value);
        cur[s] = value;
        return ok;
    }

    String allowed(int s) {
        StringBuilder b = new StringBuilder().append(flushed[s]);
        for (int i = 0; i < sinceCount[s]; i++) {
            b.append(',').append(since[s][i]);
        }
        return b.toString();
    }

    private void settle(int s, long value) {
        flushed[s] = value;
        sinceCount[s] = 0;
    }

    /** Fills 512 bytes at {@code pos} with the content of {@code value} for sector {@code s} of this volume. */
    void fill(ByteBuffer b, int pos, int s, long value) {
        if (value == 0) {
            for (int i = 0; i < SECTOR; i += 8) {
                b.putLong(pos + i, 0);
            }
            return;
        }
        b.putLong(pos, value);
        b.putLong(pos + 8, (incarnation << 32) | s);
        long x = value * 0x9E3779B97F4A7C15L ^ s;
        for (int i = 16; i < SECTOR; i += 8) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            b.putLong(pos + i, x);
        }
    }

    /** The value whose content is at {@code pos}, or {@link #GARBAGE} when it is no value of this sector. */
    long decode(ByteBuffer b, int pos, int s) {
        long v = b.getLong(pos);
        if (v == 0) {
            for (int i = 0; i < SECTOR; i += 8) {
                if (b.getLong(pos + i) != 0) {
                    return GARBAGE;
                }
            }
            return 0;
        }
        if (b.getLong(pos + 8) != ((incarnation << 32) | s)) {
            return GARBAGE;
        }
        long x = v * 0x9E3779B97F4A7C15L ^ s;
        for (int i = 16; i < SECTOR; i += 8) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            if (b.getLong(pos + i) != x) {
                return GARBAGE;
            }
        }
        return v;
    }
}
