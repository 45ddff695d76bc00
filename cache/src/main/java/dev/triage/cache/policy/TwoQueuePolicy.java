package dev.triage.cache.policy;

import dev.triage.cache.collect.BlockSlots;
import dev.triage.cache.collect.IntLinkedLists;

/**
 * The full 2Q (Johnson and Shasha, VLDB 1994): A1in, a FIFO of blocks seen once (target 25% of
 * the capacity); A1out, a ghost FIFO of blocks evicted from A1in (50% of the capacity, in
 * blocks); Am, an LRU of blocks seen again while in A1out. A hit in A1in changes nothing; a miss
 * that finds the block in A1out admits it to Am. To make room, A1in gives up its oldest block
 * (to A1out) when it is over its target, else Am gives up its LRU block (which is forgotten).
 * Targets are rounded down; when Am is empty A1in gives up a block even under its target.
 */
public final class TwoQueuePolicy extends AbstractPolicy {
    private static final int A1IN = 0;
    private static final int AM = 1;
    private static final int A1OUT = 0;

    private final long kin;
    private final long kout;
    private final BlockSlots ghosts;

    public TwoQueuePolicy(long capacity) {
        super("2q", capacity, 2, false);
        kin = capacity / 4;
        kout = capacity / 2;
        ghosts = new BlockSlots(kout, 1, false);
    }

    /** Sizes of A1in, Am, A1out (for tests and stats). */
    public long[] listSizes() {
        return new long[] {
            slots.lists().count(A1IN), slots.lists().count(AM), ghosts.lists().count(A1OUT)
        };
    }

    @Override
    public boolean access(Touch t) {
        IntLinkedLists r = slots.lists();
        int s = slots.slotOf(t.block);
        if (s != NIL) {
            slots.setIoClass(s, t.ioClass);
            if (r.listOf(s) == AM) {
                r.moveToHead(AM, s);
            }
            return true;
        }
        if (capacity == 0) {
            return false;
        }
        int gs = ghosts.slotOf(t.block);
        if (gs != NIL) {
            ghosts.release(gs);
            reclaim();
            r.addHead(AM, slots.allocate(t.block, t.ioClass));
        } else {
            reclaim();
            r.addHead(A1IN, slots.allocate(t.block, t.ioClass));
        }
        return false;
    }

    private void reclaim() {
        if (!full()) {
            return;
        }
        IntLinkedLists r = slots.lists();
        if (r.count(A1IN) > kin || r.count(AM) == 0) {
            int y = r.tail(A1IN);
            long b = slots.block(y);
            int cls = slots.ioClass(y);
            evict(y);
            if (kout > 0) {
                IntLinkedLists g = ghosts.lists();
                if (g.count(A1OUT) >= kout) {
                    ghosts.release(g.tail(A1OUT));
                }
                g.addHead(A1OUT, ghosts.allocate(b, cls));
            }
        } else {
            evict(r.tail(AM));
        }
    }

    @Override
    public void remove(long block) {
        super.remove(block);
        int gs = ghosts.slotOf(block);
        if (gs != NIL) {
            ghosts.release(gs);
        }
    }
}
