package dev.triage.cache.policy;

import dev.triage.cache.collect.IntLinkedLists;
import dev.triage.hints.policy.ClassPolicy;
import dev.triage.hints.policy.PolicyTable;
import java.util.Arrays;

/**
 * The class-aware policy of Differentiated Storage Services, with the allocation and eviction
 * rules of Open CAS (OCF), driven by a {@link PolicyTable}. Each I/O class keeps its blocks in
 * an LRU list of its own.
 *
 * <p><b>Selective allocation.</b> A class with {@code admit = false} is never admitted (its
 * misses bypass the cache). A class at its cap ({@code floor(maxShare × capacity)} blocks) may
 * evict only its own LRU block, and is not admitted when it holds nothing.
 *
 * <p><b>Selective eviction.</b> Otherwise a miss takes a free slot; else it evicts from a class
 * over its cap (any priority, pinned or not); else it evicts the LRU block of the lowest-priority
 * class whose priority value is ≥ the requester's (lower or equal priority), never from a pinned
 * class. When nothing is evictable the block is not admitted (the miss bypasses, as OCF's
 * mapping error goes pass-through). Among classes of equal priority the one whose LRU block was
 * touched least recently gives it up, so with a uniform table this policy is exactly LRU.
 *
 * <p><b>Re-classification on hit.</b> A hit by a request of another class moves the block to
 * that class's list (and occupancy), regardless of the new class's cap, as OCF does. Unlike OCF
 * (open enhancement #799) a hit by a class that is never admitted does not move the block into
 * that class; the block keeps its class and is refreshed in its own list.
 *
 * <p><b>Order among eligible classes.</b> Strictly lowest priority first, as OCF did until
 * 2023 and as the Open CAS requirements and tests still describe. OCF since commit {@code
 * e8fa8195} (2023) visits eligible classes in a size-weighted round robin (a quota of {@code
 * size × 256 / smallest class size} lines each). We keep strict order because it is the
 * semantics the policy file states (a priority means "evicted after every lower one"), it is
 * the order DSS describes, and it makes results independent of quota refresh timing; the
 * round robin exists in OCF to spread lock contention over LRU lists, which a simulator and a
 * single-threaded policy do not have.
 */
public final class DssPolicy extends AbstractPolicy implements ClassOccupancy {
    private final PolicyTable table;

    // per class id, grown when a new id is seen
    private boolean[] known = new boolean[0];
    private int[] priority = new int[0];
    private boolean[] admit = new boolean[0];
    private boolean[] pinned = new boolean[0];
    private long[] cap = new long[0];
    /** Known class ids, lowest priority (largest value) first, then by id. */
    private int[] order = new int[0];

    private long clock;

    public DssPolicy(long capacity, PolicyTable table) {
        super("dss", capacity, 0, true);
        this.table = table;
    }

    @Override
    public long occupancy(int ioClass) {
        return ioClass >= 0 && ioClass < known.length && known[ioClass]
                ? slots.lists().count(ioClass) : 0;
    }

    /** The class a cached block belongs to now, or -1 when it is not cached. */
    public int classOf(long block) {
        int s = slots.slotOf(block);
        return s == NIL ? -1 : slots.ioClass(s);
    }

    /** The cap of a class in blocks. */
    public long capOf(int ioClass) {
        know(ioClass);
        return cap[ioClass];
    }

    @Override
    public boolean access(Touch t) {
        int k = t.ioClass;
        know(k);
        IntLinkedLists l = slots.lists();
        int s = slots.slotOf(t.block);
        if (s != NIL) {
            slots.setKey(s, ++clock);
            if (admit[k] && slots.ioClass(s) != k) {
                slots.setIoClass(s, k);
            }
            l.moveToHead(slots.ioClass(s), s);
            return true;
        }
        if (!admit[k] || capacity == 0) {
            return false;
        }
        int victim;
        if (l.count(k) >= cap[k]) {
            if (l.count(k) == 0) {
                return false;
            }
            victim = l.tail(k);
        } else if (!full()) {
            victim = NIL;
        } else {
            victim = overflowVictim();
            if (victim == NIL) {
                victim = priorityVictim(priority[k]);
                if (victim == NIL) {
                    return false;
                }
            }
        }
        admitToClassList(victim, t.block, k, ++clock);
        return false;
    }

    /** The LRU block of the lowest-priority class over its cap (oldest first among equals). */
    private int overflowVictim() {
        IntLinkedLists l = slots.lists();
        int best = NIL;
        int bestPrio = -1;
        for (int c : order) {
            if (best != NIL && priority[c] != bestPrio) {
                break;
            }
            if (l.count(c) > cap[c]) {
                int v = l.tail(c);
                if (best == NIL || slots.key(v) < slots.key(best)) {
                    best = v;
                    bestPrio = priority[c];
                }
            }
        }
        return best;
    }

    /**
     * The LRU block of the lowest-priority unpinned class with priority value ≥ {@code min}
     * (oldest first among classes of equal priority).
     */
    private int priorityVictim(int min) {
        IntLinkedLists l = slots.lists();
        int best = NIL;
        int bestPrio = -1;
        for (int c : order) {
            int p = priority[c];
            if (p < min || (best != NIL && p != bestPrio)) {
                break;
            }
            if (!pinned[c] && l.count(c) > 0) {
                int v = l.tail(c);
                if (best == NIL || slots.key(v) < slots.key(best)) {
                    best = v;
                    bestPrio = p;
                }
            }
        }
        return best;
    }

    private void know(int k) {
        if (k < known.length && known[k]) {
            return;
        }
        if (k < 0) {
            throw new IllegalArgumentException("I/O class id " + k + " is negative");
        }
        if (k >= known.length) {
            int n = Math.max(k + 1, known.length * 2);
            known = Arrays.copyOf(known, n);
            priority = Arrays.copyOf(priority, n);
            admit = Arrays.copyOf(admit, n);
            pinned = Arrays.copyOf(pinned, n);
            cap = Arrays.copyOf(cap, n);
            slots.ensureLists(n);
        }
        ClassPolicy p = table.forClass(k);
        known[k] = true;
        priority[k] = p.priority();
        admit[k] = p.admit();
        pinned[k] = p.pinned();
        cap[k] = p.admit() ? (long) Math.floor(p.maxShare() * capacity) : 0;
        int[] o = Arrays.copyOf(order, order.length + 1);
        o[order.length] = k;
        // insertion sort: largest priority value first, then smaller id
        for (int i = o.length - 1; i > 0; i--) {
            int a = o[i - 1];
            int b = o[i];
            if (priority[a] > priority[b] || (priority[a] == priority[b] && a < b)) {
                break;
            }
            o[i - 1] = b;
            o[i] = a;
        }
        order = o;
    }
}
