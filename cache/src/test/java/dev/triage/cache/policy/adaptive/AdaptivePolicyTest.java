package dev.triage.cache.policy.adaptive;

import static dev.triage.cache.policy.adaptive.LearnedReusePolicyTest.fill;
import static dev.triage.cache.policy.adaptive.LearnedReusePolicyTest.optHits;
import static dev.triage.cache.policy.adaptive.LearnedReusePolicyTest.replay;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.triage.cache.policy.ArcPolicy;
import dev.triage.cache.policy.CachePolicy;
import dev.triage.cache.policy.DssPolicy;
import dev.triage.cache.policy.LruPolicy;
import dev.triage.cache.policy.Policies;
import dev.triage.cache.policy.S3FifoPolicy;
import dev.triage.cache.policy.SievePolicy;
import dev.triage.cache.policy.Touch;
import dev.triage.cache.policy.WindowTinyLfuPolicy;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.policy.PolicyFile;
import dev.triage.hints.policy.PolicyTable;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class AdaptivePolicyTest {

    /** Each new block is written, then read once after a quarter of a cache of new blocks. */
    static SyntheticTraces readAQuarterCacheLater(int capacity, int n) {
        SyntheticTraces t = new SyntheticTraces(n);
        long next = 0;
        java.util.ArrayDeque<Long> pending = new java.util.ArrayDeque<>();
        while (t.n < n) {
            t.add(next, 0, true, 1);
            pending.add(next++);
            if (pending.size() > capacity / 4) {
                t.add(pending.poll(), 0, false, 1);
            }
        }
        return t;
    }

    /** Random touches, with phases: the skewed set and the share of one-off blocks change. */
    static SyntheticTraces phased(long seed, int n, int blocks) {
        java.util.Random r = new java.util.Random(seed);
        SyntheticTraces t = new SyntheticTraces(n);
        long fresh = 1L << 40;
        int phase = 0;
        for (int i = 0; i < n; i++) {
            if (i % Math.max(1, n / 5) == 0) {
                phase = r.nextInt(4);
            }
            long b;
            int cls;
            switch (phase) {
                case 0 -> { b = r.nextInt(Math.max(1, blocks / 10)); cls = 0; }
                case 1 -> { b = fresh++; cls = 1; }
                case 2 -> { b = i % Math.max(1, blocks); cls = 2; } // a loop
                default -> { b = r.nextBoolean() ? r.nextInt(blocks) : fresh++; cls = 3; }
            }
            t.add(b, cls, r.nextInt(3) == 0, 1 + r.nextInt(4));
        }
        return t;
    }

    @Property(tries = 80)
    void hasTheHitsOfTheExpertsItFollowedLessTheSwitchCosts(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 400) int capacity, @ForAll @IntRange(min = 1, max = 3000) int blocks,
            @ForAll boolean phases) {
        SyntheticTraces t = phases ? phased(seed, 20_000, blocks) : SyntheticTraces.random(seed, 20_000, blocks, 4);
        AdaptivePolicy p = new AdaptivePolicy(capacity, null);
        long hits = replay(p, t);
        assertTrue(hits >= p.followedHits() - p.switchCost(), "hits " + hits + " < followed experts' "
                + p.followedHits() + " - switch costs " + p.switchCost() + " (" + p.switches() + " switches)");
        assertTrue(p.size() <= capacity);
    }

    @Property(tries = 40)
    void neverMoreHitsThanTheOptimum(@ForAll long seed, @ForAll @IntRange(min = 0, max = 300) int capacity,
            @ForAll @IntRange(min = 1, max = 2000) int blocks) {
        SyntheticTraces t = SyntheticTraces.random(seed, 4000, blocks, 4);
        long adaptive = replay(new AdaptivePolicy(capacity, null), t);
        assertTrue(adaptive <= optHits(capacity, t), "adaptive " + adaptive + " > opt");
    }

    @Property(tries = 30)
    void withRoomForEveryBlockOnlyFirstTouchesMiss(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3000) int blocks) {
        SyntheticTraces t = SyntheticTraces.random(seed, 5000, blocks, 5);
        Set<Long> distinct = new HashSet<>();
        for (int i = 0; i < t.n; i++) {
            distinct.add(t.block[i]);
        }
        AdaptivePolicy p = new AdaptivePolicy(distinct.size(), PolicyTable.uniform(new ClassVocabulary()));
        assertEquals(t.n - distinct.size(), replay(p, t));
        assertEquals(distinct.size(), p.size());
    }

    @Property(tries = 40)
    void hardLimitsAlwaysHold(@ForAll long seed, @ForAll @IntRange(min = 1, max = 200) int capacity,
            @ForAll @IntRange(min = 1, max = 1500) int blocks, @ForAll boolean phases) {
        LearnedReusePolicyTest.Limits lim = new LearnedReusePolicyTest.Limits();
        int[] ids = {lim.bypass, lim.capped, lim.pinned, lim.free};
        SyntheticTraces t = phases ? phased(seed, 8000, blocks) : SyntheticTraces.random(seed, 8000, blocks, 4);
        for (int i = 0; i < t.n; i++) {
            t.ioClass[i] = ids[t.ioClass[i]];
            if (t.ioClass[i] == lim.pinned && (t.block[i] & 7) != 0) {
                t.ioClass[i] = lim.free; // keep the pinned class small enough not to starve the rest
            }
        }
        AdaptivePolicy p = new AdaptivePolicy(capacity, lim.table);
        long cap = (long) Math.floor(0.25 * capacity);
        assertEquals(cap, p.capOf(lim.capped));
        assertEquals(0, p.capOf(lim.bypass));
        Touch touch = new Touch();
        int[] requester = new int[1];
        p.setEvictionListener((block, cls) -> {
            if (cls == lim.pinned) {
                assertEquals(lim.pinned, requester[0], "a pinned block was evicted for another class");
            }
        });
        for (int i = 0; i < t.n; i++) {
            fill(touch, t, i);
            requester[0] = touch.ioClass;
            boolean cachedBefore = p.contains(touch.block);
            p.access(touch);
            if (touch.ioClass == lim.bypass && !cachedBefore) {
                assertFalse(p.contains(touch.block), "a bypassed class was admitted");
            }
            assertTrue(p.occupancy(lim.capped) <= cap, "cap exceeded");
            assertEquals(0, p.occupancy(lim.bypass));
            assertTrue(p.size() <= capacity);
        }
    }

    /**
     * Each new block is written, then read once after a quarter of a cache of new blocks: LRU (and every policy that
     * keeps new blocks that long) hits every read, W-TinyLFU, followed first, none; the policy
     * must go over to a recency expert and get close to LRU's hits.
     */
    @Test
    void leavesTheFirstExpertWhenAnotherKeepsWinning() {
        int capacity = 2000;
        SyntheticTraces t = readAQuarterCacheLater(capacity, 400_000);
        long lru = replay(new LruPolicy(capacity), t);
        long tinyLfu = replay(new WindowTinyLfuPolicy(capacity), t);
        AdaptivePolicy p = new AdaptivePolicy(capacity, null);
        long adaptive = replay(p, t);
        assertTrue(lru > 10 * (tinyLfu + 1), "the trace does not separate the experts: lru " + lru + ", wtinylfu " + tinyLfu);
        assertTrue(adaptive >= 0.95 * lru, "adaptive " + adaptive + " < 0.95 x lru " + lru + ", following " + p.following());
        assertTrue(p.switches() >= 1);
        assertTrue(p.trials() >= p.switches(), p.trials() + " trials for " + p.switches() + " switches");
    }

    /**
     * The same trace: W-TinyLFU has no hit, a recency expert hits every read, so the trial is a
     * landslide and the switch comes before a capacity of trial touches (the rule for a close
     * race would wait that long).
     */
    @Test
    void aLandslideTrialSwitchesBeforeACapacity() {
        int capacity = 4000;
        SyntheticTraces t = readAQuarterCacheLater(capacity, 200_000);
        AdaptivePolicy p = new AdaptivePolicy(capacity, null);
        Touch touch = new Touch();
        long tried = -1;
        long switched = -1;
        for (int i = 0; i < t.n && switched < 0; i++) {
            fill(touch, t, i);
            p.access(touch);
            if (tried < 0 && p.trials() > 0) {
                tried = i;
            }
            if (p.switches() > 0) {
                switched = i;
            }
        }
        assertTrue(tried >= 0 && switched >= 0, "no trial or no switch: " + p);
        assertTrue(switched - tried < capacity, "switched " + (switched - tried) + " touches after the trial began");
    }

    /**
     * The trial rule's three ways to win, at a capacity of 16,000 touches (marks every 4,000):
     * a lead of 3 sigma after a capacity, a landslide of 6 sigma after a quarter, and a switch
     * that has paid (1 sigma) and pulls ahead lately (4 sigma since the last mark but one).
     */
    @Test
    void aTrialWinsByAProvenLeadALandslideOrByPullingAheadOnceItHasPaid() {
        long cap = 16_000;
        long q = 4_000;
        // 10,000 disagreements: sigma 100
        assertTrue(AdaptivePolicy.trialWon(cap, cap, q, 317, 10_000, 0, 0), "3 sigma + 16 after a capacity");
        assertFalse(AdaptivePolicy.trialWon(cap - 1, cap, q, 317, 10_000, 0, 0), "3 sigma before a capacity");
        assertFalse(AdaptivePolicy.trialWon(cap, cap, q, 315, 10_000, 0, 0), "under 3 sigma + 16");
        assertTrue(AdaptivePolicy.trialWon(q, cap, q, 665, 10_000, 0, 0), "a landslide after a quarter");
        assertFalse(AdaptivePolicy.trialWon(q - 1, cap, q, 665, 10_000, 0, 0), "a landslide before a quarter");
        // paid (101 > 1 sigma) and 2,500 recent disagreements (sigma 50): 4 sigma + 16 = 216
        assertTrue(AdaptivePolicy.trialWon(cap, cap, q, 101, 10_000, 217, 2_500), "paid and pulling ahead");
        assertFalse(AdaptivePolicy.trialWon(cap, cap, q, 99, 10_000, 217, 2_500), "pulling ahead but not paid");
        assertFalse(AdaptivePolicy.trialWon(cap, cap, q, 101, 10_000, 215, 2_500), "paid, not pulling ahead enough");
        assertFalse(AdaptivePolicy.trialWon(cap - 1, cap, q, 101, 10_000, 217, 2_500), "pulling ahead before a capacity");
        // in a small cache whose period (the mark's spacing) is longer than a quarter, four marks
        assertFalse(AdaptivePolicy.trialWon(300, 300, 256, 101, 10_000, 217, 2_500), "pulling ahead before four marks");
        assertTrue(AdaptivePolicy.trialWon(1_024, 300, 256, 101, 10_000, 217, 2_500), "pulling ahead after four marks");
    }

    /**
     * The wait after a lost trial: a capacity at first, doubling after each trial that ran a
     * capacity or more, kept as it was after one that ended sooner (its candidate's lead gone
     * before it could show anything).
     */
    @Test
    void theWaitDoublesOnlyAfterATrialThatRanACapacity() {
        long cap = 16_000;
        assertEquals(cap, AdaptivePolicy.backoffAfterLoss(cap, cap, 0), "the first wait is a capacity");
        assertEquals(2 * cap, AdaptivePolicy.backoffAfterLoss(cap, cap, cap), "a full trial lost doubles it");
        assertEquals(8 * cap, AdaptivePolicy.backoffAfterLoss(8 * cap, cap, 4 * cap), "and again");
        assertEquals(4 * cap, AdaptivePolicy.backoffAfterLoss(cap - 1, cap, 4 * cap), "a short trial keeps it");
        assertEquals(cap, AdaptivePolicy.backoffAfterLoss(1_000, cap, 0), "but never under a capacity");
    }

    /**
     * After the switch away from W-TinyLFU on a trace where it never hits, the policy checks
     * back on it (a trial it does not need to lead to get), and the check-back, which W-TinyLFU
     * loses, does not switch back.
     */
    @Test
    void aSwitchIsCheckedBackOnAndKeptWhenTheExpertLeftStillLoses() {
        int capacity = 4000;
        SyntheticTraces t = readAQuarterCacheLater(capacity, 200_000);
        AdaptivePolicy p = new AdaptivePolicy(capacity, null);
        long lru = replay(new LruPolicy(capacity), t);
        long adaptive = replay(p, t);
        assertTrue(p.checkBacks() >= 1, "no check-back after " + p.switches() + " switches");
        assertEquals(1, p.switches(), "switched back and forth: " + p.switches() + " switches, now " + p.following());
        assertTrue(adaptive >= 0.95 * lru, "adaptive " + adaptive + " < 0.95 x lru " + lru);
    }

    /** On random touches every classic policy is about as good: the policy stays within 1% of the best. */
    @Test
    void staysWithTheBestClassicPolicyWhenNothingSeparatesThem() {
        SyntheticTraces t = SyntheticTraces.random(5, 300_000, 20_000, 4);
        long best = 0;
        for (CachePolicy c : new CachePolicy[] {new LruPolicy(3000), new ArcPolicy(3000), new S3FifoPolicy(3000),
                new SievePolicy(3000), new WindowTinyLfuPolicy(3000)}) {
            best = Math.max(best, replay(c, t));
        }
        long adaptive = replay(new AdaptivePolicy(3000, null), t);
        assertTrue(adaptive >= 0.99 * best, "adaptive " + adaptive + " < 0.99 x best classic " + best);
    }

    @Test
    void beatsStaticDssOnAWriteOnlyJournal() throws IOException {
        ClassVocabulary vocab = new ClassVocabulary();
        PolicyTable dss = PolicyFile.builtin("dss", vocab).table(); // journal priority 0, data 22
        int journal = vocab.intern("journal");
        int hot = vocab.intern("unclassified");
        int scan = vocab.intern("file_huge");
        SyntheticTraces t = SyntheticTraces.journalHotScan(3, 400_000, journal, hot, scan, 8000);
        long capacity = 4000;
        long adaptive = replay(Policies.create("adaptive", capacity, dss), t);
        long staticDss = replay(new DssPolicy(capacity, dss), t);
        long lru = replay(new LruPolicy(capacity), t);
        assertTrue(adaptive > staticDss, "adaptive " + adaptive + " <= dss " + staticDss);
        assertTrue(adaptive >= lru, "adaptive " + adaptive + " < lru " + lru);
    }

    @Test
    void sameTouchesSameDecisions() {
        SyntheticTraces t = phased(7, 100_000, 5000);
        AdaptivePolicy a = new AdaptivePolicy(1500, null);
        AdaptivePolicy b = new AdaptivePolicy(1500, null);
        Touch touch = new Touch();
        boolean[] ha = new boolean[t.n];
        boolean[] hb = new boolean[t.n];
        for (int i = 0; i < t.n; i++) {
            fill(touch, t, i);
            ha[i] = a.access(touch);
            hb[i] = b.access(touch);
        }
        assertArrayEquals(ha, hb);
        assertArrayEquals(a.expertHits(), b.expertHits());
        assertEquals(a.switches(), b.switches());
    }

    @Test
    void allocatesNothingPerTouchOnceWarm() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "this JVM cannot count allocated bytes per thread");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isThreadAllocatedMemorySupported(), "this JVM cannot count allocated bytes per thread");
        mx.setThreadAllocatedMemoryEnabled(true);
        SyntheticTraces t = phased(11, 200_000, 30_000);
        AdaptivePolicy p = new AdaptivePolicy(8192, null);
        Touch touch = new Touch();
        for (int round = 0; round < 2; round++) { // the one-off blocks are new each round
            for (int i = 0; i < t.n; i++) {
                fill(touch, t, i);
                touch.block += round * (1L << 44);
                p.access(touch);
            }
        }
        long thread = Thread.currentThread().threadId();
        long before = mx.getThreadAllocatedBytes(thread);
        for (int i = 0; i < t.n; i++) {
            fill(touch, t, i);
            touch.block += 2 * (1L << 44);
            p.access(touch);
        }
        long allocated = mx.getThreadAllocatedBytes(thread) - before;
        assertTrue(allocated < 16 * 1024, allocated + " bytes allocated over " + t.n + " touches");
    }

    @Test
    void registeredUnderItsName() {
        CachePolicy p = Policies.create("adaptive", 10, null);
        assertEquals("adaptive", p.name());
        assertEquals(10, p.capacity());
        assertEquals(0, p.size());
    }

    @Test
    void discardForgetsTheBlock() {
        AdaptivePolicy p = new AdaptivePolicy(4, null);
        Touch touch = new Touch();
        touch.set(5, 0, false).requestBlocks = 1;
        assertFalse(p.access(touch));
        assertTrue(p.contains(5));
        p.remove(5);
        assertFalse(p.contains(5));
        assertEquals(0, p.occupancy(0));
        assertFalse(p.access(touch));
    }
}
