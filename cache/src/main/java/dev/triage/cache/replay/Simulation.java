package dev.triage.cache.replay;

import dev.triage.cache.policy.CachePolicy;
import dev.triage.cache.policy.Touch;

/**
 * One policy at one cache size, fed touches in trace order, counting hits per class.
 */
public final class Simulation implements TouchConsumer {
    private final String policyName;
    private final long cacheBytes;
    private final CachePolicy policy;
    private final ClassStats stats = new ClassStats();
    private final Touch touch = new Touch();
    private long elapsedNanos;

    public Simulation(String policyName, long cacheBytes, CachePolicy policy) {
        this.policyName = policyName;
        this.cacheBytes = cacheBytes;
        this.policy = policy;
    }

    /** Applies a batch of touches. Allocates nothing. */
    @Override
    public void apply(TouchBatch b) {
        long start = System.nanoTime();
        CachePolicy p = policy;
        Touch t = touch;
        ClassStats s = stats;
        long[] next = b.nextUse;
        int n = b.count;
        for (int i = 0; i < n; i++) {
            byte kind = b.kind[i];
            long block = b.block[i];
            if (kind == TouchBatch.DISCARD) {
                p.remove(block);
                continue;
            }
            t.block = block;
            t.ioClass = b.ioClass[i];
            t.write = kind == TouchBatch.WRITE;
            t.flags = b.flags[i];
            t.requestBlocks = b.requestBlocks[i];
            t.index = b.base + i;
            t.nextUse = next == null ? Touch.NEVER : next[i];
            s.record(t.ioClass, t.write, p.access(t));
        }
        elapsedNanos += System.nanoTime() - start;
    }

    public String policyName() {
        return policyName;
    }

    public long cacheBytes() {
        return cacheBytes;
    }

    @Override
    public boolean needsFuture() {
        return policy.needsFuture();
    }

    public CachePolicy policy() {
        return policy;
    }

    public ClassStats stats() {
        return stats;
    }

    /** Time spent in the policy (and counting), for touches-per-second figures. */
    public long elapsedNanos() {
        return elapsedNanos;
    }
}
