package dev.triage.cache.policy;

/** First in, first out: hits change nothing; a miss evicts the oldest block. */
public final class FifoPolicy extends AbstractPolicy {
    private static final int LIST = 0;

    public FifoPolicy(long capacity) {
        super("fifo", capacity, 1, false);
    }

    @Override
    public boolean access(Touch t) {
        int s = slots.slotOf(t.block);
        if (s != NIL) {
            slots.setIoClass(s, t.ioClass);
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
