package dev.triage.bench;

import dev.triage.cache.policy.CachePolicy;
import dev.triage.cache.policy.Touch;

/**
 * A policy that keeps nothing: every touch misses. Replaying through it measures the floor of
 * the replay itself (reading, parsing, classifying, batching, counting), so that a policy's own
 * cost is its figure less this one. Named {@code none} in {@link ReplaySpeed}.
 */
final class NoPolicy implements CachePolicy {
    @Override
    public boolean access(Touch t) {
        return false;
    }

    @Override
    public void remove(long block) {}

    @Override
    public boolean contains(long block) {
        return false;
    }

    @Override
    public long size() {
        return 0;
    }

    @Override
    public long capacity() {
        return 0;
    }

    @Override
    public String name() {
        return "none";
    }
}
