package dev.triage.cache.policy.adaptive;

/**
 * The features of one touch that predict reuse, packed in an int: the I/O class (the hint),
 * the operation (read or write), the request size (one block, up to 16, more) and what the
 * cache remembers of the block (never seen; resident or a ghost; last touched by a read or a
 * write; touched once or more). Everything here is known at the time of the touch, costs
 * nothing to compute and allocates nothing.
 */
final class AccessContext {
    /** History states: cold, then 1 + ghost·4 + lastWrite·2 + repeated. */
    static final int HISTORIES = 9;
    static final int SIZES = 3;
    static final int PER_CLASS = 2 * SIZES * HISTORIES;

    /** Block history bits kept in a slot's mark. */
    static final int LAST_WRITE = 1;
    static final int REPEATED = 2;

    private AccessContext() {}

    static int sizeBucket(int requestBlocks) {
        return requestBlocks <= 1 ? 0 : requestBlocks <= 16 ? 1 : 2;
    }

    /**
     * @param history 0 for a block the cache does not remember, else {@link #history}
     */
    static int of(int ioClass, boolean write, int requestBlocks, int history) {
        return ((ioClass * 2 + (write ? 1 : 0)) * SIZES + sizeBucket(requestBlocks)) * HISTORIES + history;
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
