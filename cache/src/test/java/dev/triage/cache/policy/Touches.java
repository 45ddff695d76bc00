package dev.triage.cache.policy;

/** Small helpers for hand-written policy tests. */
final class Touches {
    private final CachePolicy policy;
    private final Touch t = new Touch();
    private long index;

    Touches(CachePolicy policy) {
        this.policy = policy;
    }

    boolean read(long block) {
        return touch(block, 0, Touch.NEVER);
    }

    boolean touch(long block, int ioClass) {
        return touch(block, ioClass, Touch.NEVER);
    }

    boolean touch(long block, int ioClass, long nextUse) {
        t.set(block, ioClass, false);
        t.index = index++;
        t.nextUse = nextUse;
        return policy.access(t);
    }

    /** Reads each block in turn; returns the number of hits. */
    int readAll(long... blocks) {
        int hits = 0;
        for (long b : blocks) {
            if (read(b)) {
                hits++;
            }
        }
        return hits;
    }
}
