package dev.triage.cache.policy;

import dev.triage.cache.collect.IntLinkedLists;

/**
 * CLOCK (second chance) with one reference bit. The clock is kept as a list whose tail is the
 * hand and whose head is just behind it: a hit sets the block's bit; to evict, the hand clears
 * set bits and passes those blocks (they move to the head) until it finds a clear bit, whose
 * block goes. A new block enters just behind the hand with its bit clear, so it gets a second
 * chance only once it is touched again (textbook variants that set the bit on load make a
 * newly loaded block survive one sweep even if it is never touched again).
 */
public final class ClockPolicy extends AbstractPolicy {
    private static final int LIST = 0;

    public ClockPolicy(long capacity) {
        super("clock", capacity, 1, false);
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
            int hand = l.tail(LIST);
            while (slots.mark(hand) != 0) {
                slots.setMark(hand, 0);
                l.moveToHead(LIST, hand);
                hand = l.tail(LIST);
            }
            evict(hand);
        }
        slots.lists().addHead(LIST, slots.allocate(t.block, t.ioClass));
        return false;
    }
}
