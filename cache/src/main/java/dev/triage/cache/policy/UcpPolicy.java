package dev.triage.cache.policy;

import dev.triage.cache.collect.IntLinkedLists;
import dev.triage.hints.policy.ClassPolicy;
import dev.triage.hints.policy.PolicyTable;
import java.util.Arrays;

/**
 * Utility-based cache partitioning over I/O classes (after Qureshi and Patt, MICRO 2006, whose
 * partitions were cores): the cache is shared out among the classes in proportion to what space
 * earns each of them at the margin, as a {@link UtilityMonitor} measures it, and each class's
 * share is an LRU list of its own.
 *
 * <p><b>Partitioning.</b> Every {@link #PERIOD_CAPACITIES} of a capacity of touches (at least
 * {@link #MIN_PERIOD}), the cache's {@link UtilityMonitor#BUCKETS} buckets are given out by
 * UCP's lookahead: the class (and the number of buckets) with the most hits per bucket on its
 * hit curve gets them, until every bucket is given or no class would gain; then the monitor's
 * counters are halved. A miss in a full cache evicts the least recently used block of the class
 * furthest over its share (in blocks); until the first partition, the least recently used
 * block of all. A hit moves the block to the head of its class's list; a block belongs to the
 * class that admitted it.
 *
 * <p><b>The policy file.</b> Only hard limits are read ({@code priority} is ignored: the
 * monitor measures what a class is worth): a class with {@code admission = off} is never
 * admitted and gets no share; a class at its cap ({@code floor(maxShare × capacity)}) evicts its
 * own least recently used block; a {@code pinned} class's blocks are never evicted for another
 * class (a miss that finds only pinned blocks of other classes is not admitted).
 *
 * <p><b>Cost.</b> O(1) per touch: a lookup and a list move, for a sampled touch the monitor's
 * cascade, and at each period a lookahead of O(classes × buckets²). Memory: the resident slots
 * and the monitor (four sampled capacities of entries at most). No allocation per touch.
 * Deterministic.
 */
public final class UcpPolicy extends AbstractPolicy implements ClassOccupancy {
    /** Repartition every so many capacities of touches. */
    static final double PERIOD_CAPACITIES = 0.5;
    /** ... and not more often than every so many touches. */
    static final long MIN_PERIOD = 4096;

    private final PolicyTable table;
    private final UtilityMonitor monitor;
    private final long period;
    private long touches;
    private long clock;
    private boolean partitioned;

    // per class id, grown when a new id is seen
    private boolean[] known = new boolean[0];
    private boolean[] admit = new boolean[0];
    private boolean[] pinned = new boolean[0];
    private long[] cap = new long[0];
    private long[] share = new long[0]; // blocks, from the last partition
    private int[] buckets = new int[0]; // lookahead scratch
    private int classes;

    /** @param table the operator's policy file; only its hard limits are read (null: none) */
    public UcpPolicy(long capacity, PolicyTable table) {
        super("ucp", capacity, 0, true);
        this.table = table;
        this.monitor = new UtilityMonitor(capacity);
        this.period = Math.max(MIN_PERIOD, (long) (PERIOD_CAPACITIES * capacity));
    }

    @Override
    public long occupancy(int ioClass) {
        return ioClass >= 0 && ioClass < classes && known[ioClass] ? slots.lists().count(ioClass) : 0;
    }

    /** The share of the cache, in blocks, the last partition gave a class (0 before the first). */
    public long shareOf(int ioClass) {
        return ioClass >= 0 && ioClass < classes ? share[ioClass] : 0;
    }

    /** The class a cached block belongs to, or -1 when it is not cached. */
    public int classOf(long block) {
        int s = slots.slotOf(block);
        return s == NIL ? -1 : slots.ioClass(s);
    }

    @Override
    public boolean access(Touch t) {
        int k = t.ioClass;
        know(k);
        if (monitor.sampled(t.block)) {
            monitor.access(t.block, k);
        }
        if (++touches % period == 0) {
            partition();
        }
        IntLinkedLists l = slots.lists();
        int s = slots.slotOf(t.block);
        if (s != NIL) {
            slots.setKey(s, ++clock);
            l.moveToHead(slots.ioClass(s), s);
            return true;
        }
        if (!admit[k] || cap[k] == 0) {
            return false;
        }
        int victim = NIL;
        if (l.count(k) >= cap[k]) {
            victim = l.tail(k);
        } else if (full()) {
            victim = victim(k);
            if (victim == NIL) {
                return false;
            }
        }
        admitToClassList(victim, t.block, k, ++clock);
        return false;
    }

    /**
     * The block to evict for a miss of class {@code k}: the LRU block of the unpinned class
     * furthest over its share (the older tail among equals), or of {@code k} itself when every
     * other block is pinned; NIL when there is none.
     */
    private int victim(int k) {
        IntLinkedLists l = slots.lists();
        int best = NIL;
        long bestOver = Long.MIN_VALUE;
        for (int c = 0; c < classes; c++) {
            if (!known[c] || l.count(c) == 0 || (pinned[c] && c != k)) {
                continue;
            }
            long over = partitioned ? l.count(c) - share[c] : 0;
            int tail = l.tail(c);
            if (over > bestOver || (over == bestOver && slots.key(tail) < slots.key(best))) {
                best = tail;
                bestOver = over;
            }
        }
        return best;
    }

    /** UCP's lookahead over the monitor's hit curves. */
    private void partition() {
        int total = UtilityMonitor.BUCKETS;
        int[] b = buckets;
        Arrays.fill(b, 0);
        int left = total;
        while (left > 0) {
            int bestClass = -1;
            int bestMore = 0;
            double bestUtility = 0;
            for (int c = 0; c < classes; c++) {
                if (!known[c] || !admit[c]) {
                    continue;
                }
                long base = monitor.hits(c, b[c]);
                for (int more = 1; more <= left && b[c] + more <= total; more++) {
                    double u = (double) (monitor.hits(c, b[c] + more) - base) / more;
                    if (u > bestUtility) {
                        bestUtility = u;
                        bestClass = c;
                        bestMore = more;
                    }
                }
            }
            if (bestClass < 0) {
                break;
            }
            b[bestClass] += bestMore;
            left -= bestMore;
        }
        for (int c = 0; c < classes; c++) {
            share[c] = Math.min(capacity, Math.round(b[c] * (double) capacity / total));
        }
        partitioned = true;
        monitor.decay();
    }

    @Override
    public void remove(long block) {
        super.remove(block);
        if (monitor.sampled(block)) {
            monitor.remove(block);
        }
    }

    private void know(int k) {
        if (k < classes && known[k]) {
            return;
        }
        if (k < 0) {
            throw new IllegalArgumentException("I/O class id " + k + " is negative");
        }
        if (k >= classes) {
            int n = Math.max(k + 1, classes * 2);
            known = Arrays.copyOf(known, n);
            admit = Arrays.copyOf(admit, n);
            pinned = Arrays.copyOf(pinned, n);
            cap = Arrays.copyOf(cap, n);
            share = Arrays.copyOf(share, n);
            buckets = Arrays.copyOf(buckets, n);
            slots.ensureLists(n);
            classes = n;
        }
        ClassPolicy p = table == null ? null : table.forClass(k);
        known[k] = true;
        admit[k] = p == null || p.admit();
        pinned[k] = p != null && p.pinned();
        double maxShare = p == null ? 1.0 : p.maxShare();
        cap[k] = admit[k] ? (long) Math.floor(maxShare * capacity) : 0;
    }
}
