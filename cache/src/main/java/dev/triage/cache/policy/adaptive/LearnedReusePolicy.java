package dev.triage.cache.policy.adaptive;

import dev.triage.cache.policy.CachePolicy;
import dev.triage.cache.policy.ClassOccupancy;
import dev.triage.cache.policy.EvictionListener;
import dev.triage.cache.policy.Touch;
import dev.triage.hints.policy.ClassPolicy;
import dev.triage.hints.policy.PolicyTable;
import java.util.Arrays;

/**
 * A class-aware policy that learns from the hint what Belady's optimum would keep: one of the
 * experts the {@link AdaptivePolicy} follows (not registered on its own).
 *
 * <p><b>What it learns.</b> Every touch has an {@link AccessContext}: its I/O class, read or
 * write, request size, and what the cache remembers of the block. A {@link ReusePredictor}
 * learns online, per context, whether Belady's optimum would keep a block touched in that
 * context until its next touch; {@link OptGen} answers that question by replaying the optimum
 * on a hash-sampled miniature of the recent past (Hawkeye's OPTgen). A class is thus worth
 * exactly what its blocks have been worth lately at this cache size, whatever its priority
 * says.
 *
 * <p><b>How it uses it.</b> The cache is a {@link CacheCore}: blocks touched in a friendly
 * context go to an LRU <em>keep</em> list, the others to <em>probation</em>, which is evicted
 * first while over a target that ghost hits adapt (ARC's rule). Two knobs: trust the predictor
 * or not (not: the core is LRU), and TinyLFU's frequency gate in front of keep or not (on: the
 * core holds its working set under scans and loops larger than the cache). Four miniature
 * cores, one per setting, run on the same hash-sampled blocks at the sampled capacity; the
 * full-size core follows the setting whose miniature has the most hits lately. So when the
 * hints carry no information the policy is LRU or TinyLFU-like, whichever the trace favours,
 * and when they do, blocks predicted dead go first.
 *
 * <p><b>The policy file.</b> Only hard limits are read: a class with {@code admission = off}
 * is never admitted (its misses bypass); a class at its cap ({@code floor(maxShare ×
 * capacity)}) evicts its own least recently used block to admit another, and is not admitted
 * when its cap is 0; a {@code pinned} class's blocks are never evicted for another class (only
 * for its own cap, or for itself when the cache holds nothing else). {@code priority} is
 * ignored: the class itself is a feature, and the learner decides what it is worth. A cached
 * block belongs to the class that admitted it (a hit by another class does not move it), so a
 * cap is never exceeded.
 *
 * <p><b>Cost.</b> O(1) per touch: the full-size core, for a sampled touch the four miniatures
 * and the optimum's check (at most {@link OptGen#QUANTA} counters). No allocation per touch
 * once the tables have grown. Memory proportional to the capacity: resident slots and as many
 * ghosts, the miniatures (four at the sampled capacity, so at most a quarter of the capacity
 * each when one block in sixteen is sampled... and the full capacity each for caches under 1024
 * blocks), and the sampled history. Deterministic: sampling is by a fixed hash of the block.
 */
final class LearnedReusePolicy implements CachePolicy, ClassOccupancy {
    /** The knob settings of the miniatures: predictor × gate. */
    static final int SETTINGS = 6;
    /** Trust the predictor, with the gate: it holds a working set from the start. */
    static final int INITIAL_SETTING = 2;
    /** A miniature must lead the followed one by more hits than this, and by two standard deviations. */
    static final int MIN_LEAD = 16;
    /** Scores are halved every so many decision periods. */
    static final int DECAY_PERIODS = 8;

    private final long capacity;
    private final PolicyTable table;
    private final ReusePredictor predictor = new ReusePredictor();
    private final FrequencySketch sketch;
    private final OptGen optGen;
    private final CacheCore core;
    private final CacheCore[] minis = new CacheCore[SETTINGS];
    private final long[] score = new long[SETTINGS];
    private final long period;
    private final long[] miniHits = new long[SETTINGS];
    private long sampledTouches;
    private int setting;
    private final boolean fixed;

    // per class id, grown when a new id is seen
    private boolean[] known = new boolean[0];
    private boolean[] admit = new boolean[0];
    private boolean[] pinned = new boolean[0];

    /**
     * @param table the operator's policy file; only its hard limits are read (null: none)
     */
    public LearnedReusePolicy(long capacity, PolicyTable table) {
        this(capacity, table, -1);
    }

    /** @param fixedSetting a knob setting to keep for good (0..5), or -1 to follow the miniatures */
    LearnedReusePolicy(long capacity, PolicyTable table, int fixedSetting) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity " + capacity + " is negative");
        }
        this.capacity = capacity;
        this.table = table;
        this.sketch = new FrequencySketch(capacity);
        this.optGen = new OptGen(capacity, predictor);
        this.core = new CacheCore(capacity, true, 0, predictor, sketch);
        for (int i = 0; i < SETTINGS; i++) {
            minis[i] = new CacheCore(optGen.miniCapacity(), usesPredictor(i), mode(i), predictor, sketch);
        }
        this.period = optGen.miniCapacity();
        this.fixed = fixedSetting >= 0;
        applySetting(fixed ? fixedSetting : INITIAL_SETTING);
    }

    @Override
    public String name() {
        return "learned-reuse";
    }

    @Override
    public long capacity() {
        return capacity;
    }

    @Override
    public long size() {
        return core.slots.size();
    }

    @Override
    public boolean contains(long block) {
        return core.slots.contains(block);
    }

    @Override
    public void setEvictionListener(EvictionListener l) {
        core.listener = l == null ? EvictionListener.NONE : l;
    }

    @Override
    public long occupancy(int ioClass) {
        return ioClass >= 0 && ioClass < known.length && known[ioClass] ? core.byClass.count(ioClass) : 0;
    }

    /** The class a cached block belongs to, or -1 when it is not cached. */
    public int classOf(long block) {
        int s = core.slots.slotOf(block);
        return s == CacheCore.NIL ? -1 : core.slots.ioClass(s);
    }

    /** The cap of a class in blocks (0 for a class never admitted). */
    public long capOf(int ioClass) {
        know(ioClass);
        return core.cap(ioClass);
    }

    /** The knob setting the cache follows now: bit 0 set = predictor off, bit 1 set = gate on. */
    public int setting() {
        return setting;
    }

    /** Hits of each miniature so far, and the sampled touches last (for tests and stats). */
    public long[] miniatureHits() {
        long[] h = Arrays.copyOf(miniHits, SETTINGS + 1);
        h[SETTINGS] = sampledTouches;
        return h;
    }

    /** Sizes of keep, probation, keep ghosts, probation ghosts (for tests and stats). */
    public long[] listSizes() {
        var r = core.slots.lists();
        var g = core.ghosts.lists();
        return new long[] {r.count(CacheCore.KEEP), r.count(CacheCore.PROBATION), g.count(CacheCore.KEEP),
            g.count(CacheCore.PROBATION)};
    }

    @Override
    public boolean access(Touch t) {
        int k = t.ioClass;
        know(k);
        long block = t.block;
        sketch.increment(block);
        boolean hit = core.access(block, k, t.write, t.requestBlocks, t.flags, pinned);
        if (optGen.sampled(block)) {
            if (admit[k]) {
                optGen.access(block, core.lastContext);
            }
            for (int i = 0; i < SETTINGS; i++) {
                if (minis[i].access(block, k, t.write, t.requestBlocks, t.flags, pinned)) {
                    score[i]++;
                    miniHits[i]++;
                }
            }
            if (++sampledTouches % period == 0 && !fixed) {
                choose();
            }
        }
        return hit;
    }

    /** Follows the miniature with the most hits over the last periods (ties keep the current). */
    private void choose() {
        int best = setting;
        for (int i = 0; i < SETTINGS; i++) {
            if (score[i] > score[best]) {
                best = i;
            }
        }
        long lead = score[best] - score[setting];
        if (lead > MIN_LEAD && lead * lead > 4 * (score[best] + score[setting])) {
            applySetting(best);
        }
        if (sampledTouches % (DECAY_PERIODS * period) == 0) {
            for (int i = 0; i < SETTINGS; i++) {
                score[i] -= score[i] >>> 1;
            }
        }
    }

    private void applySetting(int i) {
        setting = i;
        core.setKnobs(usesPredictor(i), mode(i));
    }

    static boolean usesPredictor(int setting) {
        return (setting & 1) == 0;
    }

    /** 0 plain, 1 gate, 2 quick demotion. */
    static int mode(int setting) {
        return setting >> 1;
    }

    @Override
    public void remove(long block) {
        core.remove(block);
        if (optGen.sampled(block)) {
            optGen.discard(block);
            for (CacheCore m : minis) {
                m.remove(block);
            }
        }
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
            admit = Arrays.copyOf(admit, n);
            pinned = Arrays.copyOf(pinned, n);
        }
        ClassPolicy p = table == null ? null : table.forClass(k);
        known[k] = true;
        admit[k] = p == null || p.admit();
        pinned[k] = p != null && p.pinned();
        double share = p == null ? 1.0 : p.maxShare();
        core.setLimit(k, admit[k], share);
        for (CacheCore m : minis) {
            m.setLimit(k, admit[k], share);
        }
    }

    @Override
    public String toString() {
        return "learned-reuse(" + capacity + " blocks, " + size() + " cached, setting " + setting + ")";
    }
}
