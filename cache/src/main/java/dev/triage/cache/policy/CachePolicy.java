package dev.triage.cache.policy;

/**
 * A cache replacement policy over block numbers, with a capacity in blocks. One interface for
 * the classic policies, the optimum, and the class-aware ones; the simulator and the live cache
 * on a device share the implementations.
 *
 * <p>Implementations are deterministic (the same touches give the same decisions), single
 * threaded, and allocate nothing per touch once warm.
 */
public interface CachePolicy {

    /**
     * Touches a block (a read or a write).
     *
     * @return true on a hit. On a miss the block is admitted, evicting as the policy decides,
     *     unless the policy declines to admit it.
     */
    boolean access(Touch t);

    /** Removes a block (a discard). Counts nothing. */
    void remove(long block);

    /** True when the block is cached now. */
    boolean contains(long block);

    /** Blocks cached now. */
    long size();

    /** Capacity in blocks. */
    long capacity();

    /** The policy's name as given on the command line. */
    String name();

    /** True when the policy needs {@link Touch#nextUse} (the optimum). */
    default boolean needsFuture() {
        return false;
    }

    /** Sets who is told of evictions (the live cache frees the slot). */
    default void setEvictionListener(EvictionListener listener) {}
}
