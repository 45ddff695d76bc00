package dev.triage.cache.policy.adaptive;

import dev.triage.hints.Rwbs;

/**
 * The features of one touch that predict reuse, packed in an int: the I/O class (the hint),
 * the operation (read or write), the request size (one block, up to 16, more), whether the
 * request is a read-ahead (the kernel's guess of what will be read, not a demand), and what the
 * cache remembers of the block (never seen; resident or a ghost; last touched by a read or a
 * write; touched once or more). Everything here is known at the time of the touch, costs
 * nothing to compute and allocates nothing.
 */
final class AccessContext {
    /** History states: cold, then 1 + ghost·4 + lastWrite·2 + repeated. */
    static final int HISTORIES = 9;
    static final int SIZES = 3;

    /** Block history bits kept in a slot's mark. */
    static final int LAST_WRITE = 1;
    static final int REPEATED = 2;

    private AccessContext() {}

    static int sizeBucket(int requestBlocks) {
        return requestBlocks <= 1 ? 0 : requestBlocks <= 16 ? 1 : 2;
    }

    /**
     * @param history 0 for a block the cache does not remember, else {@link #history}
     * @param rwbs the request's RWBS bits ({@link Rwbs}); only read-ahead is read
     */
    static int of(int ioClass, boolean write, int requestBlocks, int history, int rwbs) {
        int ahead = (rwbs & Rwbs.AHEAD) != 0 ? 1 : 0;
        return ((((ioClass * 2 + (write ? 1 : 0)) * SIZES + sizeBucket(requestBlocks)) * HISTORIES + history) << 1)
            + ahead;
    }

    /** The history state of a remembered block from its mark bits. */
    static int history(boolean ghost, int markBits) {
        return 1 + (ghost ? 4 : 0) + ((markBits & LAST_WRITE) != 0 ? 2 : 0) + ((markBits & REPEATED) != 0 ? 1 : 0);
    }

    /** The mark bits after a touch. */
    static int touched(boolean write, boolean seenBefore) {
        return (write ? LAST_WRITE : 0) | (seenBefore ? REPEATED : 0);
    }
}
