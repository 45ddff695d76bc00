package dev.triage.cache.policy;

import dev.triage.cache.collect.IntLinkedLists;

/**
 * SIEVE (Zhang et al., NSDI 2024): a FIFO queue with a visited bit per block and a hand. New
 * blocks enter at the head and never move. A hit sets the visited bit. To evict, the hand
 * walks from where it last stopped (initially the tail) towards the head, clearing visited bits,
 * and evicts the first block whose bit is clear; it wraps from the head back to the tail and
 * stays at the evicted block's neighbour towards the head.
 */
public final class SievePolicy extends AbstractPolicy {
    private static final int LIST = 0;

    /** The next block the hand looks at, or NIL for "start at the tail". */
    private int hand = NIL;

    public SievePolicy(long capacity) {
        super("sieve", capacity, 1, false);
    }

    @Override
    public boolean access(Touch t) {
        int s = slots.slotOf(t.block);
        if (s != NIL) {
            slots.setIoClass(s, t.ioClass);
            slots.setMark(s, 1);
            return true;
        }
        if (capacity == 0) {
            return false;
        }
        if (full()) {
            IntLinkedLists l = slots.lists();
            int o = hand == NIL ? l.tail(LIST) : hand;
            while (slots.mark(o) != 0) {
                slots.setMark(o, 0);
                o = l.prev(o);
                if (o == NIL) {
                    o = l.tail(LIST);
                }
            }
            hand = l.prev(o);
            evict(o);
        }
        slots.lists().addHead(LIST, slots.allocate(t.block, t.ioClass));
        return false;
    }

    @Override
    void beforeRemove(int slot) {
        if (slot == hand) {
            hand = slots.lists().prev(slot);
        }
    }
}
