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
import org.junit.jupiter.api.Test;

/** The class-aware policy, one rule at a time. */
class DssPolicyTest {
    private final ClassVocabulary vocabulary = new ClassVocabulary();
    private final Map<String, ClassPolicy> classes = new LinkedHashMap<>();

    private int define(String name, int priority, boolean admit, double maxShare, boolean pinned) {
        classes.put(name, new ClassPolicy(name, priority, admit, maxShare, pinned, null, WriteMode.INHERIT));
        return vocabulary.intern(name);
    }

    private DssPolicy dss(long capacity) {
        return new DssPolicy(capacity, new PolicyTable(vocabulary, classes, ClassPolicy.defaultFor("*")));
    }

    @Test
    void bypassClassIsNeverAdmitted() {
        int skip = define("skip", 100, false, 0, false);
        DssPolicy p = dss(4);
        Touches t = new Touches(p);
        assertFalse(t.touch(1, skip));
        assertFalse(t.touch(1, skip));
        assertEquals(0, p.size());
        assertEquals(0, p.occupancy(skip));
    }

    @Test
    void cappedClassEvictsOnlyItselfEvenWithFreeSlots() {
        int capped = define("capped", 100, true, 0.25, false);
        int other = define("other", 100, true, 1, false);
        DssPolicy p = dss(8); // cap 2
        assertEquals(2, p.capOf(capped));
        Touches t = new Touches(p);
        t.touch(100, other);
        t.touch(1, capped);
        t.touch(2, capped);
        t.touch(3, capped); // at cap: evicts its own LRU (1), not "other"'s older block
        assertFalse(p.contains(1));
        assertTrue(p.contains(2) && p.contains(3) && p.contains(100));
        assertEquals(2, p.occupancy(capped));
        assertEquals(3, p.size());
    }

    @Test
    void classWhoseCapRoundsToZeroBypasses() {
        int tiny = define("tiny", 100, true, 0.1, false);
        DssPolicy p = dss(8); // floor(0.8) = 0
        Touches t = new Touches(p);
        assertFalse(t.touch(1, tiny));
        assertFalse(p.contains(1));
    }

    @Test
    void evictsLowestPriorityFirstNeverHigher() {
        int meta = define("meta", 0, true, 1, false);
        int small = define("small", 10, true, 1, false);
        int bulk = define("bulk", 200, true, 1, false);
        DssPolicy p = dss(4);
        Touches t = new Touches(p);
        t.touch(1, meta);
        t.touch(2, meta);
        t.touch(3, bulk);
        t.touch(4, bulk);
        t.touch(5, small); // evicts bulk's LRU (3), not the older meta blocks
        assertFalse(p.contains(3));
        t.touch(6, small); // evicts 4, the last bulk block
        assertFalse(p.contains(4));
        assertEquals(0, p.occupancy(bulk));
        // bulk may evict only priority values >= 200: nothing, so it bypasses
        assertFalse(t.touch(7, bulk));
        assertFalse(p.contains(7));
        // small may evict small (its own priority), not meta
        t.touch(8, small);
        assertFalse(p.contains(5));
        assertEquals(2, p.occupancy(meta));
        // meta evicts small first (lowest priority present)
        t.touch(9, meta);
        assertFalse(p.contains(6));
        assertEquals(3, p.occupancy(meta));
        assertEquals(1, p.occupancy(small));
    }

    @Test
    void pinnedClassIsEvictedOnlyByItsOwnCap() {
        int pin = define("pin", 255, true, 0.5, true);
        int meta = define("meta", 0, true, 1, false);
        DssPolicy p = dss(4); // pin cap 2
        Touches t = new Touches(p);
        t.touch(1, pin);
        t.touch(2, pin);
        t.touch(3, pin); // at cap: evicts its own 1
        assertFalse(p.contains(1));
        t.touch(10, meta);
        t.touch(11, meta); // full now: pin 2,3 + meta 10,11
        // meta may evict meta (equal priority) but never the pinned, lower-priority class
        t.touch(12, meta);
        assertFalse(p.contains(10));
        assertTrue(p.contains(2) && p.contains(3));
        assertEquals(2, p.occupancy(pin));
    }

    @Test
    void nothingEvictableMeansTheMissBypasses() {
        int pin = define("pin", 50, true, 1, true);
        int meta = define("meta", 0, true, 1, false);
        DssPolicy p = dss(2);
        Touches t = new Touches(p);
        t.touch(1, pin);
        t.touch(2, pin);
        assertFalse(t.touch(3, meta)); // the only blocks are pinned: not admitted
        assertFalse(p.contains(3));
        assertTrue(p.contains(1) && p.contains(2));
        assertFalse(t.touch(4, pin));
        assertTrue(p.contains(4), "at its cap (2 of 2) pin evicts its own LRU");
        assertFalse(p.contains(1));
    }

    @Test
    void pinnedClassBelowItsCapCannotEvictItself() {
        int pin = define("pin", 255, true, 1, true);
        int meta = define("meta", 0, true, 1, false);
        DssPolicy p = dss(3);
        Touches t = new Touches(p);
        t.touch(1, pin);
        t.touch(2, pin);
        t.touch(10, meta); // full
        assertFalse(t.touch(4, pin)); // priority 255 may evict only unpinned classes >= 255: none
        assertFalse(p.contains(4));
        assertEquals(3, p.size());
        t.touch(5, meta); // meta may evict meta (10)
        assertFalse(p.contains(10));
        assertTrue(p.contains(5) && p.contains(1) && p.contains(2));
    }

    @Test
    void hitByAnotherClassReclassifies() {
        int meta = define("meta", 0, true, 1, false);
        int bulk = define("bulk", 200, true, 1, false);
        DssPolicy p = dss(3);
        Touches t = new Touches(p);
        t.touch(1, bulk);
        t.touch(2, bulk);
        assertTrue(t.touch(1, meta)); // 1 becomes metadata
        assertEquals(meta, p.classOf(1));
        assertEquals(1, p.occupancy(meta));
        assertEquals(1, p.occupancy(bulk));
        t.touch(3, bulk);
        t.touch(4, meta); // full: evicts bulk's LRU (2), not the reclassified 1
        assertFalse(p.contains(2));
        assertTrue(p.contains(1));
    }

    @Test
    void hitByBypassClassDoesNotReclassify() {
        int meta = define("meta", 0, true, 1, false);
        int skip = define("skip", 100, false, 0, false);
        DssPolicy p = dss(3);
        Touches t = new Touches(p);
        t.touch(1, meta);
        assertTrue(t.touch(1, skip)); // still a hit (rule 2)
        assertEquals(meta, p.classOf(1));
        assertEquals(0, p.occupancy(skip));
    }

    @Test
    void reclassificationCanOverflowACapAndOverflowIsEvictedFirst() {
        int meta = define("meta", 0, true, 0.5, false);
        int bulk = define("bulk", 200, true, 1, false);
        DssPolicy p = dss(4); // meta cap 2
        Touches t = new Touches(p);
        t.touch(1, meta);
        t.touch(2, meta);
        t.touch(3, bulk);
        t.touch(4, bulk);
        assertTrue(t.touch(3, meta)); // meta now holds 3 > its cap (OCF moves regardless)
        assertEquals(3, p.occupancy(meta));
        List<Long> evicted = new ArrayList<>();
        List<Integer> evictedClass = new ArrayList<>();
        p.setEvictionListener((b, c) -> {
            evicted.add(b);
            evictedClass.add(c);
        });
        t.touch(5, bulk); // full: the overflown meta class gives up its LRU (1) before bulk
        assertEquals(List.of(1L), evicted);
        assertEquals(List.of(meta), evictedClass);
    }

    @Test
    void equalPrioritiesShareOneLruOrder() {
        int a = define("aa", 100, true, 1, false);
        int b = define("bb", 100, true, 1, false);
        DssPolicy p = dss(3);
        Touches t = new Touches(p);
        t.touch(1, a);
        t.touch(2, b);
        t.touch(3, a);
        t.touch(1, a); // 1 refreshed: LRU order 2, 3, 1
        t.touch(4, b); // evicts 2 (oldest across both classes)
        assertFalse(p.contains(2));
        t.touch(5, b); // evicts 3
        assertFalse(p.contains(3));
        assertTrue(p.contains(1));
    }
}
