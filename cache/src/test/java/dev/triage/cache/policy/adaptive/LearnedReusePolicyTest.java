package dev.triage.cache.policy.adaptive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.triage.cache.policy.CachePolicy;
import dev.triage.cache.policy.DssPolicy;
import dev.triage.cache.policy.LruPolicy;
import dev.triage.cache.policy.OptPolicy;
import dev.triage.cache.policy.Touch;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.policy.ClassPolicy;
import dev.triage.hints.policy.PolicyFile;
import dev.triage.hints.policy.PolicyTable;
import dev.triage.hints.policy.WriteMode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class LearnedReusePolicyTest {

    static long replay(CachePolicy p, SyntheticTraces t) {
        Touch touch = new Touch();
        long hits = 0;
        for (int i = 0; i < t.n; i++) {
            fill(touch, t, i);
            if (p.access(touch)) {
                hits++;
            }
        }
        return hits;
    }

    static void fill(Touch touch, SyntheticTraces t, int i) {
        touch.block = t.block[i];
        touch.ioClass = t.ioClass[i];
        touch.write = t.write[i];
        touch.requestBlocks = t.requestBlocks[i];
        touch.flags = 0;
        touch.index = i;
    }

    static long optHits(long capacity, SyntheticTraces t) {
        long[] next = new long[t.n];
        Map<Long, Long> seen = new HashMap<>();
        for (int i = t.n - 1; i >= 0; i--) {
            Long nx = seen.put(t.block[i], (long) i);
            next[i] = nx == null ? Touch.NEVER : nx;
        }
        OptPolicy opt = new OptPolicy(capacity);
        Touch touch = new Touch();
        long hits = 0;
        for (int i = 0; i < t.n; i++) {
            fill(touch, t, i);
            touch.nextUse = next[i];
            if (opt.access(touch)) {
                hits++;
            }
        }
        return hits;
    }

    @Property(tries = 60)
    void neverMoreHitsThanTheOptimum(@ForAll long seed, @ForAll @IntRange(min = 0, max = 300) int capacity,
            @ForAll @IntRange(min = 1, max = 2000) int blocks) {
        SyntheticTraces t = SyntheticTraces.random(seed, 4000, blocks, 4);
        long adaptive = replay(new LearnedReusePolicy(capacity, null), t);
        assertTrue(adaptive <= optHits(capacity, t), "adaptive " + adaptive + " > opt");
    }

    @Property(tries = 40)
    void withRoomForEveryBlockOnlyFirstTouchesMiss(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3000) int blocks) {
        SyntheticTraces t = SyntheticTraces.random(seed, 5000, blocks, 5);
        Set<Long> distinct = new HashSet<>();
        for (int i = 0; i < t.n; i++) {
            distinct.add(t.block[i]);
        }
        LearnedReusePolicy p = new LearnedReusePolicy(distinct.size(), PolicyTable.uniform(new ClassVocabulary()));
        assertEquals(t.n - distinct.size(), replay(p, t));
        assertEquals(distinct.size(), p.size());
    }

    /** Classes 0..3 of a vocabulary with one class bypassed, one capped at a quarter, one pinned. */
    static final class Limits {
        final ClassVocabulary vocab = new ClassVocabulary();
        final int bypass = vocab.intern("bypassed");
        final int capped = vocab.intern("capped");
        final int pinned = vocab.intern("pinned");
        final int free = vocab.intern("free");
        final PolicyTable table = new PolicyTable(vocab, Map.of(
                "bypassed", new ClassPolicy("bypassed", 0, false, 0, false, null, WriteMode.INHERIT),
                "capped", new ClassPolicy("capped", 0, true, 0.25, false, null, WriteMode.INHERIT),
                "pinned", new ClassPolicy("pinned", 0, true, 1.0, true, null, WriteMode.INHERIT)),
                ClassPolicy.defaultFor("*"));
    }

    @Property(tries = 60)
    void hardLimitsAlwaysHold(@ForAll long seed, @ForAll @IntRange(min = 1, max = 200) int capacity,
            @ForAll @IntRange(min = 1, max = 1500) int blocks) {
        Limits lim = new Limits();
        int[] ids = {lim.bypass, lim.capped, lim.pinned, lim.free};
        SyntheticTraces t = SyntheticTraces.random(seed, 4000, blocks, 4);
        for (int i = 0; i < t.n; i++) {
            t.ioClass[i] = ids[t.ioClass[i]];
            if (t.ioClass[i] == lim.pinned && (t.block[i] & 7) != 0) {
                t.ioClass[i] = lim.free; // keep the pinned class small enough not to starve the rest
            }
        }
        LearnedReusePolicy p = new LearnedReusePolicy(capacity, lim.table);
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

    @Test
    void sameTouchesSameDecisions() {
        SyntheticTraces t = SyntheticTraces.journalHotScan(7, 60_000, 1, 2, 3, 3000);
        LearnedReusePolicy a = new LearnedReusePolicy(1500, null);
        LearnedReusePolicy b = new LearnedReusePolicy(1500, null);
        Touch touch = new Touch();
        boolean[] ha = new boolean[t.n];
        boolean[] hb = new boolean[t.n];
        for (int i = 0; i < t.n; i++) {
            fill(touch, t, i);
            ha[i] = a.access(touch);
            hb[i] = b.access(touch);
        }
        assertArrayEquals(ha, hb);
        assertArrayEquals(a.listSizes(), b.listSizes());
        assertArrayEquals(a.miniatureHits(), b.miniatureHits());
    }

    @Test
    void allocatesNothingPerTouchOnceWarm() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "this JVM cannot count allocated bytes per thread");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isThreadAllocatedMemorySupported(), "this JVM cannot count allocated bytes per thread");
        mx.setThreadAllocatedMemoryEnabled(true);
        SyntheticTraces t = SyntheticTraces.journalHotScan(11, 200_000, 1, 2, 3, 20_000);
        LearnedReusePolicy p = new LearnedReusePolicy(8192, null); // one block in 16 sampled: every part runs
        Touch touch = new Touch();
        for (int round = 0; round < 2; round++) { // the journal and scan blocks are new each round
            for (int i = 0; i < t.n; i++) {
                fill(touch, t, i);
                touch.block += round * (1L << 40);
                p.access(touch);
            }
        }
        long thread = Thread.currentThread().threadId();
        long before = mx.getThreadAllocatedBytes(thread);
        for (int i = 0; i < t.n; i++) {
            fill(touch, t, i);
            touch.block += 2 * (1L << 40);
            p.access(touch);
        }
        long allocated = mx.getThreadAllocatedBytes(thread) - before;
        assertTrue(allocated < 16 * 1024, allocated + " bytes allocated over " + t.n + " touches");
    }

    @Test
    void beatsStaticDssOnAWriteOnlyJournalAndIsNotBelowLru() throws IOException {
        ClassVocabulary vocab = new ClassVocabulary();
        PolicyTable dss = PolicyFile.builtin("dss", vocab).table(); // journal priority 0, data 22
        int journal = vocab.intern("journal");
        int hot = vocab.intern("unclassified");
        int scan = vocab.intern("file_huge");
        SyntheticTraces t = SyntheticTraces.journalHotScan(3, 400_000, journal, hot, scan, 8000);
        long capacity = 4000;
        long adaptive = replay(new LearnedReusePolicy(capacity, dss), t);
        long staticDss = replay(new DssPolicy(capacity, dss), t);
        long lru = replay(new LruPolicy(capacity), t);
        assertTrue(adaptive > staticDss, "adaptive " + adaptive + " <= dss " + staticDss);
        assertTrue(adaptive >= lru, "adaptive " + adaptive + " < lru " + lru);
    }

    @Test
    void discardForgetsTheBlock() {
        LearnedReusePolicy p = new LearnedReusePolicy(4, null);
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
