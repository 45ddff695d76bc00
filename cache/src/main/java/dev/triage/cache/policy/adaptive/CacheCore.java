package dev.triage.cache.policy.adaptive;

import dev.triage.cache.collect.BlockSlots;
import dev.triage.cache.collect.IntLinkedLists;
import dev.triage.cache.policy.EvictionListener;
import java.util.Arrays;

/**
 * The cache structure of the {@link LearnedReusePolicy}, at one capacity and one setting of its two
 * knobs; the policy runs one at full size and miniatures of every setting on sampled blocks.
 *
 * <p>Resident blocks live in two LRU lists, <em>keep</em> and <em>probation</em>, and in one
 * LRU list per class (for caps, pinning and occupancy). A touch in a context that the predictor
 * calls friendly puts the block in keep, otherwise in probation. A victim comes from probation
 * while it holds more than its target (or keep is empty), else from keep. Evicted blocks are
 * remembered as ghosts of their list (at most the capacity in all, oldest dropped first); a
 * ghost hit on a probation ghost raises the target, one on a keep ghost lowers it (ARC's rule).
 *
 * <p>The knobs: {@code usePredictor} (off: every context is friendly, and the core is LRU);
 * {@code gate} (on: a friendly newcomer that would evict from keep must be touched more often,
 * by the frequency sketch, than keep's victim, else it takes probation's victim, or is not
 * admitted when probation is empty; TinyLFU's admission, which holds on to a working set under
 * a scan or a loop larger than the cache).
 */
final class CacheCore {
    static final int NIL = BlockSlots.NIL;
    static final int KEEP = 0;
    static final int PROBATION = 1;

    final long capacity;
    boolean usePredictor;
    boolean gate;
    /** Quick demotion: a newcomer not remembered as a ghost starts in probation (ARC's T1). */
    boolean quickDemotion;
    private final ReusePredictor predictor;
    private final FrequencySketch sketch;
    final BlockSlots slots; // lists KEEP, PROBATION; mark: history bits; ioClass: the admitting class
    final IntLinkedLists byClass;
    private int byClassNodes;
    final BlockSlots ghosts; // lists KEEP, PROBATION; key: eviction order; mark: history bits
    EvictionListener listener = EvictionListener.NONE;
    long probationTarget;
    private long clock;
    private long[] cap = new long[0];

    /** The context of the last touch (for the optimum's replay). */
    int lastContext;

    CacheCore(long capacity, boolean usePredictor, int mode, ReusePredictor predictor, FrequencySketch sketch) {
        this.capacity = capacity;
        setKnobs(usePredictor, mode);
        this.predictor = predictor;
        this.sketch = sketch;
        this.slots = new BlockSlots(capacity, 2, false);
        this.ghosts = new BlockSlots(capacity, 2, true);
        this.byClassNodes = (int) Math.min(capacity, 1024);
        this.byClass = new IntLinkedLists(0, byClassNodes);
    }

    /** Sets the knobs: trust the predictor or not; mode 0 plain, 1 gate, 2 quick demotion. */
    void setKnobs(boolean usePredictor, int mode) {
        this.usePredictor = usePredictor;
        this.gate = mode == 1;
        this.quickDemotion = mode == 2;
    }

    /** Sets a class's cap from its share of the cache (0 when it is never admitted). */
    void setLimit(int k, boolean admit, double maxShare) {
        if (k >= cap.length) {
            cap = Arrays.copyOf(cap, Math.max(k + 1, cap.length * 2));
            byClass.ensureLists(cap.length);
        }
        cap[k] = admit ? (long) Math.floor(maxShare * capacity) : 0;
    }

    long cap(int k) {
        return cap[k];
    }

    /**
     * One touch. {@code pinned} is the table of pinned classes; a class with cap 0 is never
     * admitted.
     *
     * @return true on a hit
     */
    boolean access(long block, int k, boolean write, int requestBlocks, int rwbs, boolean[] pinned) {
        int s = slots.slotOf(block);
        int history;
        int ghost = NIL;
        if (s != NIL) {
            history = AccessContext.history(false, slots.mark(s));
        } else {
            ghost = ghosts.slotOf(block);
            history = ghost == NIL ? 0 : AccessContext.history(true, ghosts.mark(ghost));
        }
        int ctx = AccessContext.of(k, write, requestBlocks, history, rwbs);
        lastContext = ctx;
        boolean friendly = !usePredictor || predictor.friendly(ctx);
        int bits = AccessContext.touched(write, history != 0);
        IntLinkedLists l = slots.lists();
        if (s != NIL) {
            slots.setMark(s, bits);
            int owner = slots.ioClass(s);
            byClass.moveToHead(owner, s);
            if (!pinned[owner]) {
                l.moveToHead(friendly ? KEEP : PROBATION, s);
            }
            return true;
        }
        if (ghost != NIL) {
            adapt(ghosts.lists().listOf(ghost));
            ghosts.release(ghost);
        }
        if (cap[k] == 0) {
            return false;
        }
        if (byClass.count(k) >= cap[k]) {
            evict(byClass.tail(k));
        } else if (slots.size() >= capacity) {
            int victim = victim();
            if (gate && friendly && victim != NIL && l.listOf(victim) == KEEP
                    && sketch.frequency(block) <= sketch.frequency(slots.block(victim))) {
                friendly = false;
                victim = l.tail(PROBATION);
                if (victim == NIL) {
                    return false;
                }
            }
            if (victim == NIL) {
                if (!pinned[k] || byClass.count(k) == 0) {
                    return false; // the cache holds only pinned blocks of other classes
                }
                victim = byClass.tail(k);
            }
            evict(victim);
        }
        s = slots.allocate(block, k);
        slots.setMark(s, bits);
        if (s >= byClassNodes) {
            byClassNodes = (int) Math.min(capacity, Math.max(s + 1L, 2L * byClassNodes));
            byClass.ensureNodes(byClassNodes);
        }
        byClass.addHead(k, s);
        if (!pinned[k]) {
            l.addHead(friendly && (!quickDemotion || ghost != NIL) ? KEEP : PROBATION, s);
        }
        return false;
    }

    private void adapt(int ghostList) {
        IntLinkedLists g = ghosts.lists();
        long gk = g.count(KEEP);
        long gp = g.count(PROBATION);
        if (ghostList == PROBATION) {
            probationTarget = Math.min(capacity, probationTarget + (gp >= gk ? 1 : gk / gp));
        } else {
            probationTarget = Math.max(0, probationTarget - (gk >= gp ? 1 : gp / gk));
        }
    }

    private int victim() {
        IntLinkedLists l = slots.lists();
        long p = l.count(PROBATION);
        if (p > 0 && (p > probationTarget || l.count(KEEP) == 0)) {
            return l.tail(PROBATION);
        }
        return l.tail(KEEP);
    }

    private void evict(int s) {
        long b = slots.block(s);
        int c = slots.ioClass(s);
        int list = slots.lists().listOf(s);
        int bits = slots.mark(s);
        byClass.unlink(s);
        slots.release(s);
        if (list != NIL) {
            remember(b, c, list, bits);
        }
        listener.evicted(b, c);
    }

    private void remember(long b, int cls, int list, int bits) {
        IntLinkedLists g = ghosts.lists();
        if (ghosts.size() >= capacity) {
            int tk = g.tail(KEEP);
            int tp = g.tail(PROBATION);
            ghosts.release(tk == NIL || (tp != NIL && ghosts.key(tp) < ghosts.key(tk)) ? tp : tk);
        }
        int gs = ghosts.allocate(b, cls);
        ghosts.setKey(gs, ++clock);
        ghosts.setMark(gs, bits);
        g.addHead(list, gs);
    }

    void remove(long block) {
        int s = slots.slotOf(block);
        if (s != NIL) {
            byClass.unlink(s);
            slots.release(s);
        }
        int gs = ghosts.slotOf(block);
        if (gs != NIL) {
            ghosts.release(gs);
        }
    }
}
