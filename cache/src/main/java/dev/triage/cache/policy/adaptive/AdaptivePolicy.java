package dev.triage.cache.policy.adaptive;

import dev.triage.cache.policy.ArcPolicy;
import dev.triage.cache.policy.CachePolicy;
import dev.triage.cache.policy.ClassOccupancy;
import dev.triage.cache.policy.DssPolicy;
import dev.triage.cache.policy.EvictionListener;
import dev.triage.cache.policy.LruPolicy;
import dev.triage.cache.policy.S3FifoPolicy;
import dev.triage.cache.policy.SievePolicy;
import dev.triage.cache.policy.UcpPolicy;
import dev.triage.cache.policy.Touch;
import dev.triage.cache.policy.WindowTinyLfuPolicy;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.policy.ClassPolicy;
import dev.triage.hints.policy.PolicyTable;
import java.util.Arrays;

/**
 * The class-aware policy that takes the hint as evidence, not as an order ({@code adaptive}).
 *
 * <p><b>Experts.</b> Beside the cache it runs, on every touch and at the cache's full size,
 * the directories (block numbers only, no data) of a portfolio of policies: the classic
 * unhinted ones (LRU, ARC, S3-FIFO, SIEVE, W-TinyLFU), the operator's static class priorities
 * ({@link DssPolicy} over the policy file), a learner that predicts from the class, the
 * operation, the request size, read-ahead and the block's history whether Belady's optimum
 * would keep a block ({@link LearnedReusePolicy}), and utility-based partitioning over the
 * classes ({@link UcpPolicy}: each class's share of the cache from its measured hit curve).
 * Each expert counts the hits it would have had.
 *
 * <p><b>Following.</b> The cache holds the blocks of the expert it follows ({@link
 * FollowerCache}): a block the expert holds is admitted on its touch, and room is made from
 * blocks the expert does not hold. After a switch, the cache becomes the new expert's set as
 * its blocks are touched; until then the old blocks still give hits. So the policy has at least
 * the hits of the experts it followed, less the switch costs it paid (a tested invariant).
 *
 * <p><b>Trials.</b> What a switch costs depends on which blocks each expert holds and how much
 * they are worth, which no formula over hit ratios gets right (a W-TinyLFU that kept a build's
 * headers through a write phase holds few blocks of great worth). So the policy measures it.
 * Scores are the experts' hits, halved every {@link #HALF_LIFE_CAPACITIES} capacities of
 * touches. When an expert leads the followed one by more than {@link #SIGMAS} standard
 * deviations, it is <em>tried</em>: a shadow cache (block numbers only) starts as a copy of the
 * cache and follows the candidate, exactly as the cache would had it switched then. The
 * policy switches when, after at least a capacity of touches, the shadow has had more hits
 * than the cache by {@link #TRIAL_SIGMAS} standard deviations of their difference (the touches
 * where exactly one of them hit): a switch that has paid for itself, its cost included (or,
 * after a quarter of a capacity, by {@link #EARLY_SIGMAS}: a landslide; or, after a capacity,
 * when it has paid for itself and pulls ahead lately: {@link #PULL_SIGMAS}). A trial ends,
 * lost, when the candidate no longer leads or after {@link #MAX_TRIAL_CAPACITIES} capacities,
 * and the next one waits (a capacity, doubling after each trial lost after a capacity or
 * more: {@code backoffAfterLoss}). After a switch the expert
 * left is checked back on ({@link #CHECK_DELAY_CAPACITIES}): a switch that paid over its trial
 * may lose over the phase.
 *
 * <p><b>The policy file.</b> Only hard limits are read: a class with {@code admission = off}
 * is never admitted, and no expert sees its touches; a class at its cap ({@code floor(maxShare
 * × capacity)}) evicts its own least recently used block to admit another; a {@code pinned}
 * class's blocks are never evicted for another class. {@code priority} reaches only the dss
 * expert, which is followed when, and as long as, those priorities pay.
 *
 * <p><b>Cost.</b> O(1) per touch: eight experts' touches and a few lookups, the shadow's during a
 * trial; a switch walks the cache once and a trial copies it once, each at most once per
 * capacity of touches. No allocation per touch once the tables have grown. Memory is
 * proportional to the capacity: the cache's and the shadow's slots and the experts'
 * directories (about nine times the cache's). Deterministic.
 */
public final class AdaptivePolicy implements CachePolicy, ClassOccupancy {
    /** The experts, in the order of their index. */
    static final String[] EXPERTS = {"lru", "arc", "s3fifo", "sieve", "wtinylfu", "dss", "learned-reuse", "ucp"};
    /** The expert followed at first: W-TinyLFU, the strongest classic policy on most traces. */
    static final int FIRST = 4;
    /** Scores are halved every so many capacities of touches (at least {@link #MIN_HALF_LIFE}). */
    static final long HALF_LIFE_CAPACITIES = 2;
    static final long MIN_HALF_LIFE = 1 << 14;
    /** An expert is tried when its score leads by this many standard deviations of the two, */
    static final double SIGMAS = 2.5;
    /** and by this many hits; a trial must win by as many hits, too. */
    static final long MIN_LEAD = 16;
    /** A trial wins by this many standard deviations of the hits the shadow and the cache differ by, */
    static final double TRIAL_SIGMAS = 3;
    /** after at least a capacity of touches (the switch's cost is paid over about one), */
    static final long MIN_TRIAL_CAPACITIES = 1;
    /** and ends, lost, after this many. */
    static final long MAX_TRIAL_CAPACITIES = 8;
    /**
     * A trial won by a landslide ({@link #EARLY_SIGMAS} standard deviations and {@link
     * #EARLY_LEAD} hits) after a quarter of a capacity switches at once: waiting out the
     * capacity would cost more hits than a wrong switch risks.
     */
    static final double EARLY_SIGMAS = 6;
    static final long EARLY_LEAD = 4 * MIN_LEAD;
    static final long EARLY_TRIAL_DIVISOR = 4;
    /**
     * A trial that has run a capacity, whose shadow has paid for the switch (it leads by {@link
     * #PAID_SIGMAS} standard deviations), and that pulls ahead lately (by {@link #PULL_SIGMAS}
     * since the last mark but one: marks are a quarter of a capacity apart, or a period if that
     * is longer) wins too: the realignment misses that held its total lead down are behind it,
     * and what it gains from now on is what a switch earns.
     */
    static final double PAID_SIGMAS = 1;
    static final double PULL_SIGMAS = 4;
    /**
     * {@link #CHECK_DELAY_CAPACITIES} capacities after a switch, once the cache has become the
     * new expert's set, the expert it left is tried again (a check-back) whether it leads or
     * not, for at most {@link #CHECK_CAPACITIES} capacities, and wins only if it leads by the
     * long score too: a switch that paid over its trial may lose over the phase, and the
     * trial of the way back, which pays its own realignment, is what says so.
     */
    static final long CHECK_DELAY_CAPACITIES = 2;
    static final long CHECK_CAPACITIES = 4;
    /** Experts are compared every period of touches: a sixteenth of the capacity, within bounds. */
    static final long MIN_PERIOD = 256;
    static final long MAX_PERIOD = 1 << 14;

    private final long capacity;
    private final PolicyTable table;
    private final CachePolicy[] experts;
    private final FollowerCache cache;
    private EvictionListener listener = EvictionListener.NONE;

    /**
     * Per expert: hits this period, and its scores, hits decayed over a long window (half-life
     * {@link #HALF_LIFE_CAPACITIES} capacities of touches) and over a short one (one capacity).
     */
    private final long[] periodHits;
    private final double[] score;
    private final double[] recent;
    private final double decay;
    private final double recentDecay;
    /** Per expert: its blocks that the cache holds. */
    private final long[] shared;
    private final long period;
    private long untilDecision;
    private int followed;
    private long touches;

    /** The trial: a shadow of the cache following the candidate expert {@link #trial} (-1: none). */
    private FollowerCache shadow;
    private int trial = -1;
    private long trialStart;
    private long shadowHits;
    private long cacheHits;
    private long disagreements;
    private long nextTrial;
    private long trialBackoff;
    /** The trial's gain and disagreements at its last two quarter-capacity marks, and the next mark. */
    private long lastMarkGain;
    private long lastMarkDisagreements;
    private long markGain;
    private long markDisagreements;
    private long nextMark;
    /** Whether the trial running is a check-back; the expert to check back on (-1: none), and when. */
    private boolean checkBack;
    private int checkExpert = -1;
    private long checkAt;

    // for tests and stats
    private long trials;
    private long checkBacks;
    private long switches;
    private long switchCost;
    private long followedHits;
    private final long[] expertHits;

    // per class id, grown when a new id is seen
    private boolean[] known = new boolean[0];
    private boolean[] admit = new boolean[0];
    private boolean[] pinned = new boolean[0];
    private long[] cap = new long[0];

    /**
     * @param table the operator's policy file: its hard limits, and the dss expert's priorities
     *     (null: none, every class alike)
     */
    public AdaptivePolicy(long capacity, PolicyTable table) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity " + capacity + " is negative");
        }
        this.capacity = capacity;
        this.table = table;
        PolicyTable forDss = table != null ? table : PolicyTable.uniform(new ClassVocabulary());
        this.experts = new CachePolicy[] {
            new LruPolicy(capacity), new ArcPolicy(capacity), new S3FifoPolicy(capacity),
            new SievePolicy(capacity), new WindowTinyLfuPolicy(capacity), new DssPolicy(capacity, forDss),
            new LearnedReusePolicy(capacity, table), new UcpPolicy(capacity, table)};
        int n = experts.length;
        this.periodHits = new long[n];
        this.score = new double[n];
        this.recent = new double[n];
        this.shared = new long[n];
        this.expertHits = new long[n];
        this.cache = new FollowerCache(capacity);
        for (int i = 0; i < n; i++) {
            int expert = i;
            experts[i].setEvictionListener((block, ioClass) -> expertEvicted(expert, block));
        }
        this.period = Math.clamp(capacity / 16, MIN_PERIOD, MAX_PERIOD);
        this.untilDecision = period;
        this.decay = Math.pow(0.5, (double) period / Math.max(MIN_HALF_LIFE, HALF_LIFE_CAPACITIES * capacity));
        this.recentDecay = Math.pow(0.5, period / (double) Math.max(capacity, period));
        this.followed = FIRST;
    }

    @Override
    public String name() {
        return "adaptive";
    }

    @Override
    public long capacity() {
        return capacity;
    }

    @Override
    public long size() {
        return cache.size();
    }

    @Override
    public boolean contains(long block) {
        return cache.slotOf(block) != FollowerCache.NIL;
    }

    @Override
    public void setEvictionListener(EvictionListener l) {
        listener = l == null ? EvictionListener.NONE : l;
    }

    @Override
    public long occupancy(int ioClass) {
        return ioClass >= 0 ? cache.count(ioClass) : 0;
    }

    /** The cap of a class in blocks (0 for a class never admitted). */
    public long capOf(int ioClass) {
        know(ioClass);
        return cap[ioClass];
    }

    /** The name of the expert the cache follows now. */
    public String following() {
        return EXPERTS[followed];
    }

    /** How many trials of another expert the policy ran. */
    public long trials() {
        return trials;
    }

    /** How many of the trials were check-backs of an expert the policy had switched away from. */
    public long checkBacks() {
        return checkBacks;
    }

    /** How many times the policy changed the expert it follows. */
    public long switches() {
        return switches;
    }

    /** The switches' cost bound: at each, the blocks the new expert held and the cache did not. */
    public long switchCost() {
        return switchCost;
    }

    /** Hits the followed experts had, each counted while it was followed. */
    public long followedHits() {
        return followedHits;
    }

    /** Each expert's hits so far, in the order of {@link #EXPERTS}. */
    public long[] expertHits() {
        return expertHits.clone();
    }

    @Override
    public boolean access(Touch t) {
        int k = t.ioClass;
        know(k);
        long block = t.block;
        int s = cache.slotOf(block);
        boolean hit = s != FollowerCache.NIL;
        if (hit) {
            cache.touched(s);
        }
        if (!admit[k]) {
            return hit; // never admitted, so never cached: no expert needs to see it
        }
        CachePolicy[] e = experts;
        for (int i = 0; i < e.length; i++) {
            if (e[i].access(t)) {
                periodHits[i]++;
                expertHits[i]++;
                if (i == followed) {
                    followedHits++;
                }
            } else if (hit && e[i].contains(block)) {
                shared[i]++; // the expert admitted a block the cache holds
            }
        }
        boolean wanted = e[followed].contains(block);
        if (hit) {
            cache.place(s, wanted, pinned[cache.slots.ioClass(s)]);
        } else if (wanted) {
            admit(block, k);
        }
        if (trial >= 0) {
            tryTouch(block, k, hit);
        }
        touches++;
        if (--untilDecision == 0) {
            untilDecision = period;
            decide();
        }

        return hit;
    }

    /** The same touch in the trial's shadow, which follows the candidate expert. */
    private void tryTouch(long block, int k, boolean cacheHit) {
        FollowerCache sh = shadow;
        int s = sh.slotOf(block);
        boolean shadowHit = s != FollowerCache.NIL;
        boolean wanted = experts[trial].contains(block);
        if (shadowHit) {
            sh.touched(s);
            sh.place(s, wanted, pinned[sh.slots.ioClass(s)]);
            shadowHits++;
        } else if (wanted) {
            admitShadow(block, k);
        }
        if (cacheHit) {
            cacheHits++;
        }
        if (cacheHit != shadowHit) {
            disagreements++;
        }
    }

    /** {@link #victimFor}: there is room. */
    private static final int ROOM = -2;
    /** {@link #victimFor}: the limits refuse the block. */
    private static final int REFUSED = -3;

    /**
     * The slot that {@code c} must give up to cache a block of class {@code k} within the hard
     * limits: at its cap, the class's own least recently used block; in a full cache, the least
     * recently used orphan (or, for a pinned class, its own oldest block). {@link #ROOM} if none
     * need go, {@link #REFUSED} if the block may not be cached.
     */
    private int victimFor(FollowerCache c, int k) {
        if (c.count(k) >= cap[k] && cap[k] < capacity) {
            return cap[k] == 0 ? REFUSED : c.oldestOf(k);
        }
        if (!c.full()) {
            return ROOM;
        }
        int victim = c.oldestOrphan();
        if (victim == FollowerCache.NIL) {
            // only aligned blocks and pinned orphans: a pinned class may replace its own
            victim = pinned[k] ? c.oldestOf(k) : FollowerCache.NIL;
        }
        return victim == FollowerCache.NIL ? REFUSED : victim;
    }

    /** Caches a block that the followed expert holds, making room as the limits allow. */
    private void admit(long block, int k) {
        int victim = victimFor(cache, k);
        if (victim == REFUSED) {
            return;
        }
        if (victim != ROOM) {
            drop(victim);
        }
        cache.insert(block, k, true, pinned[k]);
        CachePolicy[] e = experts;
        for (int i = 0; i < e.length; i++) {
            if (e[i].contains(block)) {
                shared[i]++;
            }
        }
    }

    /** {@link #admit} for the trial's shadow: a block the candidate holds. */
    private void admitShadow(long block, int k) {
        int victim = victimFor(shadow, k);
        if (victim == REFUSED) {
            return;
        }
        if (victim != ROOM) {
            shadow.release(victim);
        }
        shadow.insert(block, k, true, pinned[k]);
    }

    /** Evicts a cached block. */
    private void drop(int s) {
        long b = cache.slots.block(s);
        int k = cache.slots.ioClass(s);
        CachePolicy[] e = experts;
        for (int i = 0; i < e.length; i++) {
            if (e[i].contains(b)) {
                shared[i]--;
            }
        }
        cache.release(s);
        listener.evicted(b, k);
    }

    /** An expert evicted a block: if the cache holds it, one block fewer is shared with it. */
    private void expertEvicted(int expert, long block) {
        if (expert == trial) {
            int ss = shadow.slotOf(block);
            if (ss != FollowerCache.NIL) {
                shadow.place(ss, false, pinned[shadow.slots.ioClass(ss)]);
            }
        }
        int s = cache.slotOf(block);
        if (s != FollowerCache.NIL) {
            shared[expert]--;
            if (expert == followed) {
                cache.place(s, false, pinned[cache.slots.ioClass(s)]);
            }
        }
    }

    /** Scores the period, then judges the trial running or starts one. */
    private void decide() {
        int f = followed;
        int best = f;
        for (int i = 0; i < experts.length; i++) {
            score[i] = score[i] * decay + periodHits[i];
            recent[i] = recent[i] * recentDecay + periodHits[i];
            periodHits[i] = 0;
            if (score[i] > score[best]) {
                best = i;
            }
        }
        long turnover = Math.max(capacity, period);
        if (trial >= 0) {
            long gain = shadowHits - cacheHits;
            long length = touches - trialStart;
            if (length >= nextMark) {
                markGain = lastMarkGain;
                markDisagreements = lastMarkDisagreements;
                lastMarkGain = gain;
                lastMarkDisagreements = disagreements;
                nextMark += quarter(turnover);
            }
            if (trialWon(length, turnover, quarter(turnover), gain, disagreements,
                    gain - markGain, disagreements - markDisagreements)
                    && (!checkBack || score[trial] > score[f])) {
                follow(trial);
                endTrial();
                trialBackoff = 0;
                checkExpert = f;
                checkAt = touches + CHECK_DELAY_CAPACITIES * turnover;
                return;
            }
            if (checkBack) {
                if (!(best != trial && leads(best, f)) && length < CHECK_CAPACITIES * turnover) {
                    return; // the check-back goes on, unless another expert is worth a trial
                }
                endTrial();
            } else {
                if (score[trial] > score[f] && length < MAX_TRIAL_CAPACITIES * turnover) {
                    return; // the trial goes on
                }
                endTrial();
                trialBackoff = backoffAfterLoss(length, turnover, trialBackoff);
                nextTrial = touches + trialBackoff;
            }
        }
        if (checkExpert >= 0 && touches >= checkAt) {
            int c = checkExpert;
            checkExpert = -1;
            if (c != f) {
                startTrial(c);
                checkBack = true;
                checkBacks++;
                return;
            }
        }
        if (touches >= nextTrial && leads(best, f)) {
            startTrial(best);
        }
    }

    /** Whether expert {@code e} is worth a trial against the followed expert {@code f}. */
    private boolean leads(int e, int f) {
        return e != f && recent[e] > recent[f] // it still leads lately
                && score[e] - score[f] > SIGMAS * Math.sqrt(score[e] + score[f]) + MIN_LEAD;
    }

    /** The spacing of a trial's marks: a quarter of a capacity, or a period if that is longer. */
    private long quarter(long turnover) {
        return Math.max(period, turnover / EARLY_TRIAL_DIVISOR);
    }

    /**
     * Whether a trial has won: after {@code length} touches (the cache turns over in {@code
     * turnover}, the trial's gain is marked every {@code quarter}), its shadow had {@code gain}
     * hits more than the cache, over {@code disagreements} touches where one of them hit, and
     * {@code recentGain} more over the {@code recentDisagreements} since the last mark but one.
     */
    static boolean trialWon(long length, long turnover, long quarter, long gain, long disagreements,
            long recentGain, long recentDisagreements) {
        double sd = Math.sqrt(disagreements);
        boolean proven = length >= MIN_TRIAL_CAPACITIES * turnover && gain > TRIAL_SIGMAS * sd + MIN_LEAD;
        boolean landslide = length >= turnover / EARLY_TRIAL_DIVISOR && gain > EARLY_SIGMAS * sd + EARLY_LEAD;
        boolean pulling = length >= EARLY_TRIAL_DIVISOR * quarter && gain > PAID_SIGMAS * sd
                && recentGain > PULL_SIGMAS * Math.sqrt(recentDisagreements) + MIN_LEAD;
        return proven || landslide || pulling;
    }

    /**
     * The wait before the next trial, after a trial of {@code length} touches was lost (the
     * cache turns over in {@code turnover}; the last wait was {@code backoff}): a capacity,
     * doubling after each trial that ran a capacity or more and lost. A trial that ended
     * sooner, its candidate's lead gone before the trial could pay for a switch or show that
     * it would not, says nothing about the candidate, and does not double the wait.
     */
    static long backoffAfterLoss(long length, long turnover, long backoff) {
        return Math.max(turnover, length >= turnover ? 2 * backoff : backoff);
    }

    /** Starts following an expert. */
    private void follow(int expert) {
        followed = expert;
        switches++;
        switchCost += experts[expert].size() - shared[expert];
        cache.realign(experts[expert], pinned);
    }

    /** Starts a trial of an expert: a shadow of the cache that follows it from now on. */
    private void startTrial(int expert) {
        if (shadow == null) {
            shadow = new FollowerCache(capacity);
            shadow.ensureClasses(known.length);
        }
        shadow.copyOf(cache, experts[expert], pinned);
        trial = expert;
        trials++;
        trialStart = touches;
        shadowHits = 0;
        cacheHits = 0;
        disagreements = 0;
        lastMarkGain = 0;
        lastMarkDisagreements = 0;
        markGain = 0;
        markDisagreements = 0;
        nextMark = quarter(Math.max(capacity, period));
    }

    private void endTrial() {
        trial = -1;
        checkBack = false;
    }

    @Override
    public void remove(long block) {
        int s = cache.slotOf(block);
        CachePolicy[] e = experts;
        for (int i = 0; i < e.length; i++) {
            if (s != FollowerCache.NIL && e[i].contains(block)) {
                shared[i]--;
            }
            e[i].remove(block);
        }
        if (s != FollowerCache.NIL) {
            cache.release(s);
        }
        if (trial >= 0 && (s = shadow.slotOf(block)) != FollowerCache.NIL) {
            shadow.release(s);
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
            cap = Arrays.copyOf(cap, n);
            cache.ensureClasses(n);
            if (shadow != null) {
                shadow.ensureClasses(n);
            }
        }
        ClassPolicy p = table == null ? null : table.forClass(k);
        known[k] = true;
        admit[k] = p == null || p.admit();
        pinned[k] = p != null && p.pinned();
        double share = p == null ? 1.0 : p.maxShare();
        cap[k] = admit[k] ? (long) Math.floor(share * capacity) : 0;
    }

    @Override
    public String toString() {
        return "adaptive(" + capacity + " blocks, " + size() + " cached, following " + following() + ")";
    }
}
