package dev.triage.cache.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.policy.ClassPolicy;
import dev.triage.hints.policy.PolicyTable;
import dev.triage.hints.policy.WriteMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Utility-based partitioning over classes: its monitor against a reference, its shares, its limits. */
class UcpPolicyTest {
    private final ClassVocabulary vocabulary = new ClassVocabulary();
    private final Map<String, ClassPolicy> classes = new LinkedHashMap<>();

    private int define(String name, boolean admit, double maxShare, boolean pinned) {
        classes.put(name, new ClassPolicy(name, 100, admit, maxShare, pinned, null, WriteMode.INHERIT));
        return vocabulary.intern(name);
    }

    private PolicyTable table() {
        return new PolicyTable(vocabulary, classes, ClassPolicy.defaultFor("*"));
    }

    /**
     * Unsampled (a capacity under 1,024 blocks), the monitor's curve of a class is exactly the
     * histogram of the class's LRU stack distances, in segments of capacity/32 blocks, over
     * stacks as deep as the capacity; a block stays in the stack of the class that touched it
     * first. The reference is a plain list per class.
     */
    @Property(tries = 200)
    void monitorCurvesAreTheClassesStackDistances(@ForAll long seed, @ForAll @IntRange(min = 1, max = 300) int capacity,
            @ForAll @IntRange(min = 1, max = 400) int blocks, @ForAll @IntRange(min = 1, max = 4) int nClasses) {
        UtilityMonitor m = new UtilityMonitor(capacity);
        int segment = (capacity + UtilityMonitor.BUCKETS - 1) / UtilityMonitor.BUCKETS;
        int depth = segment * UtilityMonitor.BUCKETS;
        List<List<Long>> stacks = new ArrayList<>();
        for (int k = 0; k < nClasses; k++) {
            stacks.add(new ArrayList<>());
        }
        long[][] expected = new long[nClasses][UtilityMonitor.BUCKETS];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 3000; i++) {
            long b = r.nextInt(blocks);
            int k = r.nextInt(nClasses);
            assertTrue(m.sampled(b));
            int owner = k;
            for (int c = 0; c < nClasses; c++) {
                int at = stacks.get(c).indexOf(b);
                if (at >= 0) {
                    owner = c;
                    expected[c][at / segment]++;
                    stacks.get(c).remove(at);
                }
            }
            List<Long> s = stacks.get(owner);
            s.addFirst(b);
            if (s.size() > depth) {
                s.removeLast();
            }
            m.access(b, k);
        }
        for (int k = 0; k < nClasses; k++) {
            long cumulative = 0;
            for (int n = 0; n <= UtilityMonitor.BUCKETS; n++) {
                assertEquals(cumulative, m.hits(k, n), "class " + k + ", " + n + " segments");
                if (n < UtilityMonitor.BUCKETS) {
                    cumulative += expected[k][n];
                }
            }
        }
        m.decay();
        assertEquals(expected[0][0] / 2, m.hits(0, 1));
    }

    @Test
    void aDiscardedBlockLeavesItsStack() {
        UtilityMonitor m = new UtilityMonitor(64);
        m.access(1, 0);
        m.access(2, 0);
        m.remove(1);
        m.access(1, 0);
        assertEquals(0, m.hits(0, UtilityMonitor.BUCKETS));
        m.access(2, 0);
        assertEquals(1, m.hits(0, UtilityMonitor.BUCKETS));
    }

    /**
     * A class that loops over 40 blocks beside a class that never touches a block twice, one
     * touch each in turn, in a cache of 64: LRU keeps the loop for 80 touches, so it never hits;
     * the partition gives the loop its 40 blocks and hits nearly every loop touch.
     */
    @Test
    void spaceGoesWhereItEarnsHits() {
        int loop = define("loop", true, 1, false);
        int scan = define("scan", true, 1, false);
        UcpPolicy p = new UcpPolicy(64, table());
        LruPolicy lru = new LruPolicy(64);
        Touch t = new Touch();
        long ucpHits = 0;
        long lruHits = 0;
        long loopTouches = 0;
        for (int i = 0; i < 40_000; i++) {
            boolean isLoop = (i & 1) == 0;
            t.set(isLoop ? (i / 2) % 40 : 1_000_000 + i, isLoop ? loop : scan, false);
            boolean h = p.access(t);
            boolean l = lru.access(t);
            if (i >= 20_000) {
                ucpHits += h ? 1 : 0;
                lruHits += l ? 1 : 0;
                loopTouches += isLoop ? 1 : 0;
            }
        }
        assertEquals(0, lruHits);
        assertTrue(p.shareOf(loop) >= 40, "loop's share " + p.shareOf(loop));
        assertTrue(ucpHits >= 0.99 * loopTouches, ucpHits + " hits of " + loopTouches + " loop touches");
    }

    @Property(tries = 60)
    void hardLimitsAlwaysHold(@ForAll long seed, @ForAll @IntRange(min = 1, max = 200) int capacity,
            @ForAll @IntRange(min = 1, max = 1500) int blocks) {
        int bypass = define("bypass", false, 1, false);
        int capped = define("capped", true, 0.25, false);
        int pinned = define("pinned", true, 1, true);
        int free = define("free", true, 1, false);
        int[] ids = {bypass, capped, pinned, free};
        UcpPolicy p = new UcpPolicy(capacity, table());
        long cap = (long) Math.floor(0.25 * capacity);
        int[] requester = new int[1];
        p.setEvictionListener((block, cls) -> {
            if (cls == pinned) {
                assertEquals(pinned, requester[0], "a pinned block was evicted for another class");
            }
        });
        SplittableRandom r = new SplittableRandom(seed);
        Touch t = new Touch();
        for (int i = 0; i < 20_000; i++) {
            long b = r.nextInt(blocks);
            int k = ids[r.nextInt(ids.length)];
            if (k == pinned && (b & 7) != 0) {
                k = free; // keep the pinned class small enough not to starve the rest
            }
            if (r.nextInt(50) == 0) {
                p.remove(b);
                assertFalse(p.contains(b));
                continue;
            }
            t.set(b, k, r.nextBoolean());
            requester[0] = k;
            boolean before = p.contains(b);
            assertEquals(before, p.access(t));
            if (k == bypass && !before) {
                assertFalse(p.contains(b), "a bypassed class was admitted");
            }
            assertTrue(p.occupancy(capped) <= cap, "cap exceeded");
            assertEquals(0, p.occupancy(bypass));
            assertTrue(p.size() <= capacity);
        }
    }
}
