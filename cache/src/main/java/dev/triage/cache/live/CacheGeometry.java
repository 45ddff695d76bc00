package dev.triage.cache.live;

/**
 * Where things are on the fast device: two header copies, the slot table (two copies of each
 * page), then the data slots, aligned to 1 MiB.
 *
 * @param blockSize the cache line (block) size
 * @param slots the number of data slots
 * @param pages the number of slot-table pages
 * @param dataStart the byte offset of slot 0
 */
public record CacheGeometry(int blockSize, int slots, int pages, long dataStart) {
    public static final int PAGE = 4096;
    public static final int HEADER_COPIES = 2;
    public static final int ENTRIES_PER_PAGE = 126;
    public static final int ENTRY_BYTES = 32;
    public static final int PAGE_HEADER = 32;
    static final long ALIGN = 1 << 20;

    /** The largest geometry that fits a device of {@code deviceBytes}. */
    public static CacheGeometry fit(long deviceBytes, int blockSize) {
        if (Integer.bitCount(blockSize) != 1 || blockSize < 4096) {
            throw new IllegalArgumentException("cache block size must be a power of two >= 4096, got " + blockSize);
        }
        long usable = deviceBytes - HEADER_COPIES * PAGE - ALIGN;
        // each slot costs a block plus 2 copies of 1/126 page of table
        long slots = (long) Math.floor(usable / (blockSize + 2.0 * PAGE / ENTRIES_PER_PAGE));
        while (slots > 0) {
            int pages = (int) ((slots + ENTRIES_PER_PAGE - 1) / ENTRIES_PER_PAGE);
            long data = align(HEADER_COPIES * PAGE + 2L * pages * PAGE);
            if (data + slots * blockSize <= deviceBytes) {
                if (slots > Integer.MAX_VALUE - 1) {
                    slots = Integer.MAX_VALUE - 1;
                    continue;
                }
                return new CacheGeometry(blockSize, (int) slots, pages, data);
            }
            slots--;
        }
        throw new IllegalArgumentException("a cache device of " + deviceBytes + " bytes is too small for one line");
    }

    private static long align(long v) {
        return (v + ALIGN - 1) / ALIGN * ALIGN;
    }

    public long headerOffset(int copy) {
        return (long) copy * PAGE;
    }

    public long pageOffset(int page, int copy) {
        return HEADER_COPIES * PAGE + (2L * page + copy) * PAGE;
    }

    public long slotOffset(int slot) {
        return dataStart + (long) slot * blockSize;
    }
}
