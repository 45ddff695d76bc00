package dev.triage.placement;

import java.util.List;

/**
 * The allocator of data blocks: one bit per block of the data area (set = in use: mapped by
 * some volume, or freed by a transaction that is not yet durable), a next-fit cursor and a
 * used count per zone. Blocks outside every zone are never handed out. Thread-safe (one lock;
 * a bitmap word scan per allocation).
 */
final class BlockAllocator {
    private final long base;
    private final long[] bits;
    private final List<Zone> zones;
    private final long[] used;
    private final long[] cursor;

    BlockAllocator(long dataStart, long dataEnd, List<Zone> zones) {
        this.base = dataStart;
        this.bits = new long[(int) ((dataEnd - dataStart + 63) >>> 6)];
        this.zones = zones;
        this.used = new long[zones.size()];
        this.cursor = new long[zones.size()];
        for (int z = 0; z < zones.size(); z++) {
            cursor[z] = zones.get(z).start();
        }
    }

    int zoneOf(long block) {
        for (int z = 0; z < zones.size(); z++) {
            if (zones.get(z).contains(block)) {
                return z;
            }
        }
        return -1;
    }

    synchronized boolean isUsed(long block) {
        long i = block - base;
        return (bits[(int) (i >>> 6)] & (1L << i)) != 0;
    }

    /** Marks a block used (open, from the maps); false when it already was. */
    synchronized boolean markUsed(long block) {
        long i = block - base;
        int w = (int) (i >>> 6);
        long m = 1L << i;
        if ((bits[w] & m) != 0) {
            return false;
        }
        bits[w] |= m;
        used[zoneOf(block)]++;
        return true;
    }

    /**
     * A free block in zone {@code z}, marked used: {@code hint} when it is free and in the zone,
     * else the next free block from the zone's cursor; -1 when the zone is full.
     */
    synchronized long allocate(int z, long hint) {
        Zone zone = zones.get(z);
        if (used[z] >= zone.blocks()) {
            return -1;
        }
        if (hint >= zone.start() && hint < zone.end()) {
            long i = hint - base;
            if ((bits[(int) (i >>> 6)] & (1L << i)) == 0) {
                return take(z, hint);
            }
        }
        long b = scan(cursor[z], zone.end());
        if (b < 0) {
            b = scan(zone.start(), zone.end());
        }
        if (b < 0) {
            return -1;
        }
        return take(z, b);
    }

    private long take(int z, long block) {
        long i = block - base;
        bits[(int) (i >>> 6)] |= 1L << i;
        used[z]++;
        cursor[z] = block + 1 >= zones.get(z).end() ? zones.get(z).start() : block + 1;
        return block;
    }

    private long scan(long from, long to) {
        long i = from - base;
        long end = to - base;
        while (i < end) {
            int w = (int) (i >>> 6);
            long free = ~bits[w] & (-1L << (i & 63));
            if (free != 0) {
                long b = ((long) w << 6) + Long.numberOfTrailingZeros(free);
                return b < end ? b + base : -1;
            }
            i = ((long) w + 1) << 6;
        }
        return -1;
    }

    /** Returns a block to the free pool. */
    synchronized void free(long block) {
        long i = block - base;
        int w = (int) (i >>> 6);
        long m = 1L << i;
        if ((bits[w] & m) == 0) {
            throw new IllegalStateException("block " + block + " freed twice");
        }
        bits[w] &= ~m;
        used[zoneOf(block)]--;
    }

    synchronized void freeAll(LongList blocks) {
        for (int k = 0; k < blocks.size(); k++) {
            free(blocks.get(k));
        }
    }

    /** Blocks in use in zone z (mapped plus pending free). */
    synchronized long used(int z) {
        return used[z];
    }

    long heapBytes() {
        return 16 + 8L * bits.length;
    }
}
