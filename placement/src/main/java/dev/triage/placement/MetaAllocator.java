package dev.triage.placement;

/**
 * The allocator of metadata pages in the metadata area: one bit per page (set = part of the
 * durable tree, of the tree being committed, or freed by a commit that is not yet durable).
 * Guarded by the pool's commit lock.
 */
final class MetaAllocator {
    private final long start;
    private final long blocks;
    private final long[] bits;
    private long used;
    private long cursor;

    MetaAllocator(long start, long blocks) {
        this.start = start;
        this.blocks = blocks;
        this.bits = new long[(int) ((blocks + 63) >>> 6)];
    }

    boolean contains(long addr) {
        return addr >= start && addr < start + blocks;
    }

    /** Marks a page used; false when it already was. */
    boolean markUsed(long addr) {
        long i = addr - start;
        int w = (int) (i >>> 6);
        long m = 1L << i;
        if ((bits[w] & m) != 0) {
            return false;
        }
        bits[w] |= m;
        used++;
        return true;
    }

    /** A free page, marked used, or -1. */
    long allocate() {
        for (long k = 0; k < blocks; k++) {
            long i = (cursor + k) % blocks;
            int w = (int) (i >>> 6);
            long m = 1L << i;
            if ((bits[w] & m) == 0) {
                bits[w] |= m;
                used++;
                cursor = i + 1;
                return start + i;
            }
            if (bits[w] == -1L && (i & 63) == 0 && i + 64 <= blocks) {
                k += 63;
            }
        }
        return -1;
    }

    void free(long addr) {
        long i = addr - start;
        int w = (int) (i >>> 6);
        long m = 1L << i;
        if ((bits[w] & m) == 0) {
            throw new IllegalStateException("metadata page " + addr + " freed twice");
        }
        bits[w] &= ~m;
        used--;
    }

    long used() {
        return used;
    }

    long capacity() {
        return blocks;
    }
}
