package dev.triage.cache.policy;

/**
 * One touch of one cache block, as the replay engine (or the live cache) hands it to a policy.
 * The same instance is refilled for every touch, so the hot loop allocates nothing.
 */
public final class Touch {
    /** Never touched again (for {@link #nextUse}). */
    public static final long NEVER = Long.MAX_VALUE;

    /** The block number (byte offset / block size), with the volume folded in when there are several. */
    public long block;
    /** The I/O class of the request (a vocabulary id). */
    public int ioClass;
    /** True for a write, false for a read. */
    public boolean write;
    /** RWBS bits of the request ({@code dev.triage.hints.Rwbs}). */
    public int flags;
    /** Number of blocks of the request this touch belongs to. */
    public int requestBlocks;
    /** Position of the touch in the trace, from 0. */
    public long index;
    /**
     * Position of the next touch of the same block, or {@link #NEVER} when it is never touched
     * again or is discarded first. Filled only for policies that ask for it ({@link
     * CachePolicy#needsFuture()}).
     */
    public long nextUse = NEVER;

    public Touch set(long block, int ioClass, boolean write) {
        this.block = block;
        this.ioClass = ioClass;
        this.write = write;
        return this;
    }
}
