package dev.triage.cache.policy.adaptive;

import dev.triage.cache.collect.BlockSlots;
import dev.triage.cache.collect.IntLinkedLists;
import dev.triage.cache.policy.CachePolicy;

/**
 * The blocks the {@link AdaptivePolicy} really holds: a set that follows one expert's resident
 * set lazily. A cached block is <em>aligned</em> when the followed expert holds it too, an
 * <em>orphan</em> when it does not (the expert evicted it, or it was cached under an expert
 * followed before). Room is always made from orphans, least recently used first; aligned blocks
 * stay. So after the policy starts following another expert, the cache becomes that expert's
 * resident set as its blocks are touched, without fetching anything, and in the meantime the
 * orphans still give hits.
 *
 * <p>Orphans of a pinned class sit in a list of their own and are evicted only for their own
 * class. Each block also sits in an LRU list of the class that admitted it (for caps, pinning
 * and occupancy).
 */
final class FollowerCache {
    static final int NIL = BlockSlots.NIL;
    static final int ALIGNED = 0;
    static final int ORPHAN = 1;
    static final int PINNED_ORPHAN = 2;

    final long capacity;
    final BlockSlots slots; // ioClass: the admitting class
    final IntLinkedLists byClass;
    private int byClassNodes;

    FollowerCache(long capacity) {
        this.capacity = capacity;
        this.slots = new BlockSlots(capacity, 3, false);
        this.byClassNodes = (int) Math.min(capacity, 1024);
        this.byClass = new IntLinkedLists(0, byClassNodes);
    }

    /**
     * Becomes a copy of {@code from}'s blocks, with their classes, sorted into aligned and
     * orphans against {@code expert}: the cache as it would be had the policy just started
     * following that expert. Within each list, blocks keep their order in {@code from}'s list.
     * O(cached blocks), and no allocation once this cache has grown.
     */
    void copyOf(FollowerCache from, CachePolicy expert, boolean[] pinnedClass) {
        IntLinkedLists mine = slots.lists();
        for (int list = ALIGNED; list <= PINNED_ORPHAN; list++) {
            for (int s = mine.tail(list); s != NIL; s = mine.tail(list)) {
                release(s);
            }
        }
        ensureClasses(from.byClass.lists());
        IntLinkedLists l = from.slots.lists();
        for (int list = ALIGNED; list <= PINNED_ORPHAN; list++) {
            for (int s = l.tail(list); s != NIL; s = l.prev(s)) {
                long b = from.slots.block(s);
                int k = from.slots.ioClass(s);
                insert(b, k, expert.contains(b), k < pinnedClass.length && pinnedClass[k]);
            }
        }
    }

    void ensureClasses(int n) {
        if (byClass.lists() < n) {
            byClass.ensureLists(n);
        }
    }

    int slotOf(long block) {
        return slots.slotOf(block);
    }

    int size() {
        return slots.size();
    }

    boolean full() {
        return slots.size() >= capacity;
    }

    long count(int ioClass) {
        return ioClass < byClass.lists() ? byClass.count(ioClass) : 0;
    }

    int list(int slot) {
        return slots.lists().listOf(slot);
    }

    /** A hit: the slot becomes the most recent of its lists. */
    void touched(int slot) {
        IntLinkedLists l = slots.lists();
        l.moveToHead(l.listOf(slot), slot);
        byClass.moveToHead(slots.ioClass(slot), slot);
    }

    /** Moves a slot to the aligned list, or to an orphan list (at its most recent end). */
    void place(int slot, boolean aligned, boolean pinned) {
        int to = aligned ? ALIGNED : pinned ? PINNED_ORPHAN : ORPHAN;
        IntLinkedLists l = slots.lists();
        if (l.listOf(slot) != to) {
            l.moveToHead(to, slot);
        }
    }

    /** Caches a block (not cached, and with room) for a class. */
    int insert(long block, int ioClass, boolean aligned, boolean pinned) {
        int s = slots.allocate(block, ioClass);
        if (s >= byClassNodes) {
            byClassNodes = (int) Math.min(capacity, Math.max(s + 1L, 2L * byClassNodes));
            byClass.ensureNodes(byClassNodes);
        }
        byClass.addHead(ioClass, s);
        slots.lists().addHead(aligned ? ALIGNED : pinned ? PINNED_ORPHAN : ORPHAN, s);
        return s;
    }

    /** Drops a slot. */
    void release(int slot) {
        byClass.unlink(slot);
        slots.release(slot);
    }

    /** The least recently used orphan of a class that is not pinned, or {@link #NIL}. */
    int oldestOrphan() {
        return slots.lists().tail(ORPHAN);
    }

    /** The least recently used block of a class, or {@link #NIL}. */
    int oldestOf(int ioClass) {
        return ioClass < byClass.lists() ? byClass.tail(ioClass) : NIL;
    }

    /**
     * Sorts every cached block again into aligned and orphans against a newly followed expert.
     * O(cached blocks); the policy switches experts rarely enough that this is O(1) amortised.
     */
    void realign(CachePolicy expert, boolean[] pinnedClass) {
        IntLinkedLists l = slots.lists();
        for (int s = l.tail(ALIGNED); s != NIL; ) {
            int up = l.prev(s);
            if (!expert.contains(slots.block(s))) {
                int k = slots.ioClass(s);
                l.moveToHead(k < pinnedClass.length && pinnedClass[k] ? PINNED_ORPHAN : ORPHAN, s);
            }
            s = up;
        }
        for (int list = ORPHAN; list <= PINNED_ORPHAN; list++) {
            for (int s = l.tail(list); s != NIL; ) {
                int up = l.prev(s);
                if (expert.contains(slots.block(s))) {
                    l.moveToHead(ALIGNED, s);
                }
                s = up;
            }
        }
    }
}
