package dev.triage.cache.policy;

/** Least recently used: a hit moves the block to the head; a miss evicts the tail. */
public final class LruPolicy extends AbstractPolicy {
    private static final int LIST = 0;

    public LruPolicy(long capacity) {
        super("lru", capacity, 1, false);
    }

    @Override
    public boolean access(Touch t) {
        int s = slots.slotOf(t.block);
        if (s != NIL) {
            slots.setIoClass(s, t.ioClass);
            slots.lists().moveToHead(LIST, s);
            return true;
        }
        if (capacity == 0) {
            return false;
        }
        if (full()) {
            evict(slots.lists().tail(LIST));
        }
        slots.lists().addHead(LIST, slots.allocate(t.block, t.ioClass));
        return false;
    }
}
