package dev.triage.cache.policy;

import dev.triage.cache.collect.BlockSlots;
import dev.triage.cache.collect.IntLinkedLists;

/**
 * ARC, the Adaptive Replacement Cache (Megiddo and Modha, FAST 2003), as in the paper's figure
 * 4: resident lists T1 (seen once recently) and T2 (seen at least twice), ghost lists B1 and B2
 * of blocks recently evicted from each, and a target size {@code p} for T1 that a ghost hit in
 * B1 raises and a ghost hit in B2 lowers.
 *
 * <p>Resident blocks and ghosts share one slot table (four lists over it), so a touch looks the
 * block up once whether it is resident, a ghost or neither, and demoting a block to a ghost or
 * bringing a ghost back only moves its slot from one list to another.
 *
 * <p>Differences from the paper, both invisible on traces without discards except the first:
 *
 * <ul>
 *   <li>{@code p} is an integer and the adaptation steps use integer division ({@code |B2|/|B1|}
 *       rounded down, at least 1), as most implementations do.
 *   <li>A discard drops the block from whichever list holds it (resident or ghost). REPLACE runs
 *       only when the cache is full; the paper needs no such test because without removals the
 *       ghost lists are empty until the cache has filled.
 * </ul>
 */
public final class ArcPolicy extends AbstractPolicy {
    private static final int T1 = 0;
    private static final int T2 = 1;
    private static final int B1 = 2;
    private static final int B2 = 3;

    private long p;

    public ArcPolicy(long capacity) {
        super("arc", capacity, 4, false, ghostSlots(capacity));
    }

    /** Room for the ghosts beside the residents: at most capacity + 1 of them, within the limit. */
    private static long ghostSlots(long capacity) {
        if (capacity < 0 || capacity > BlockSlots.MAX_SLOTS) {
            return 0; // the constructor rejects the capacity
        }
        return Math.min(capacity + 2, BlockSlots.MAX_SLOTS - capacity);
    }

    /** The current target size of T1 (for tests and stats). */
    public long target() {
        return p;
    }

    /** Sizes of T1, T2, B1, B2 in that order (for tests and stats). */
    public long[] listSizes() {
        IntLinkedLists r = slots.lists();
        return new long[] {r.count(T1), r.count(T2), r.count(B1), r.count(B2)};
    }

    @Override
    public long size() {
        IntLinkedLists r = slots.lists();
        return r.count(T1) + r.count(T2);
    }

    @Override
    public boolean contains(long block) {
        int s = slots.slotOf(block);
        return s != NIL && slots.lists().listOf(s) <= T2;
    }

    @Override
    public boolean access(Touch t) {
        IntLinkedLists r = slots.lists();
        int s = slots.slotOf(t.block);
        if (s != NIL) {
            int list = r.listOf(s);
            if (list <= T2) { // case I
                slots.setIoClass(s, t.ioClass);
                r.moveToHead(T2, s);
                return true;
            }
            // cases II and III: a ghost (only when capacity > 0)
            long b1 = r.count(B1);
            long b2 = r.count(B2);
            boolean inB2 = list == B2;
            if (!inB2) {
                p = Math.min(capacity, p + (b1 >= b2 ? 1 : b2 / b1));
            } else {
                p = Math.max(0, p - (b2 >= b1 ? 1 : b1 / b2));
            }
            r.unlink(s); // out of the ghost lists before REPLACE, as if released
            if (full()) {
                replace(inB2);
            }
            slots.setIoClass(s, t.ioClass);
            r.addHead(T2, s);
            return false;
        }
        if (capacity == 0) {
            return false;
        }
        // case IV
        long t1 = r.count(T1);
        long l1 = t1 + r.count(B1);
        if (l1 >= capacity) {
            if (t1 < capacity) {
                slots.release(r.tail(B1));
                if (full()) {
                    replace(false);
                }
            } else {
                evict(r.tail(T1));
            }
        } else {
            long total = l1 + r.count(T2) + r.count(B2);
            if (total >= capacity) {
                if (total >= 2 * capacity) {
                    slots.release(r.tail(B2));
                }
                if (full()) {
                    replace(false);
                }
            }
        }
        r.addHead(T1, slots.allocate(t.block, t.ioClass));
        return false;
    }

    /** The paper's REPLACE: demote the LRU block of T1 or of T2 to its ghost list. */
    private void replace(boolean missInB2) {
        IntLinkedLists r = slots.lists();
        long t1 = r.count(T1);
        boolean fromT1 = t1 >= 1 && ((missInB2 && t1 == p) || t1 > p);
        if (!fromT1 && r.count(T2) == 0) {
            fromT1 = true; // cannot happen without discards; keeps the cache within capacity
        }
        int victim = fromT1 ? r.tail(T1) : r.tail(T2);
        r.unlink(victim);
        r.addHead(fromT1 ? B1 : B2, victim);
        listener.evicted(slots.block(victim), slots.ioClass(victim));
    }

    @Override
    public void remove(long block) {
        int s = slots.slotOf(block);
        if (s != NIL) {
            slots.release(s);
        }
    }
}
