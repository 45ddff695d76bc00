package dev.triage.cache.policy;

/** Told of every block a policy evicts (not of blocks removed by {@link CachePolicy#remove}). */
@FunctionalInterface
public interface EvictionListener {
    EvictionListener NONE = (block, ioClass) -> {};

    void evicted(long block, int ioClass);
}
