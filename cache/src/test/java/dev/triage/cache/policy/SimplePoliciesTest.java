package dev.triage.cache.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-checked sequences for LRU, FIFO, CLOCK and SIEVE. */
class SimplePoliciesTest {

    @Test
    void lruEvictsLeastRecentlyUsed() {
        LruPolicy p = new LruPolicy(3);
        Touches t = new Touches(p);
        assertEquals(0, t.readAll(1, 2, 3));
        assertTrue(t.read(1)); // order now 1, 3, 2 (MRU first)
        assertFalse(t.read(4)); // evicts 2
        assertFalse(p.contains(2));
        assertTrue(p.contains(1) && p.contains(3) && p.contains(4));
        assertEquals(3, p.size());
    }

    @Test
    void fifoIgnoresHits() {
        FifoPolicy p = new FifoPolicy(3);
        Touches t = new Touches(p);
        t.readAll(1, 2, 3);
        assertTrue(t.read(1));
        assertFalse(t.read(4)); // evicts 1 although it was just hit
        assertFalse(p.contains(1));
        assertTrue(p.contains(2) && p.contains(3) && p.contains(4));
    }

    @Test
    void clockGivesReferencedBlocksASecondChance() {
        ClockPolicy p = new ClockPolicy(3);
        Touches t = new Touches(p);
        t.readAll(1, 2, 3);
        assertTrue(t.read(1)); // 1 referenced
        assertFalse(t.read(4)); // hand: 1 (clear, pass), 2 (evict)
        assertFalse(p.contains(2));
        assertFalse(t.read(5)); // hand: 3 (evict)
        assertFalse(p.contains(3));
        assertFalse(t.read(6)); // hand: 1 (bit cleared before) evict
        assertFalse(p.contains(1));
        assertTrue(p.contains(4) && p.contains(5) && p.contains(6));
    }

    @Test
    void sieveHandMovesFromTailToHeadAndStays() {
        SievePolicy p = new SievePolicy(3);
        Touches t = new Touches(p);
        List<Long> evicted = new ArrayList<>();
        p.setEvictionListener((b, c) -> evicted.add(b));
        t.readAll(1, 2, 3); // queue (head..tail): 3 2 1
        assertEquals(2, t.readAll(1, 2)); // 1 and 2 visited
        t.read(4); // hand 1 -> clear, 2 -> clear, 3 -> evict; hand wraps (3 was the head)
        assertEquals(List.of(3L), evicted);
        t.read(5); // hand restarts at tail: 1 (cleared) -> evict; hand stays at 2
        assertEquals(List.of(3L, 1L), evicted);
        assertTrue(t.read(4)); // 4 visited
        t.read(6); // hand at 2 (cleared) -> evict; hand moves to 4
        assertEquals(List.of(3L, 1L, 2L), evicted);
        t.read(7); // hand at 4 (visited) -> clear, 5 -> evict
        assertEquals(List.of(3L, 1L, 2L, 5L), evicted);
        assertTrue(p.contains(4) && p.contains(6) && p.contains(7));
        // LRU would have evicted 4's neighbours differently: SIEVE kept 4 without moving it
    }

    @Test
    void sieveHandSurvivesDiscardOfItsBlock() {
        SievePolicy p = new SievePolicy(3);
        Touches t = new Touches(p);
        List<Long> evicted = new ArrayList<>();
        p.setEvictionListener((b, c) -> evicted.add(b));
        t.readAll(1, 2, 3, 1, 2);
        t.read(4); // evicts 3 (see above); queue 4 2 1, hand wraps
        t.read(5); // evicts 1; hand at 2; queue 5 4 2
        p.remove(2); // the hand's block goes: the hand moves to 4
        assertEquals(2, p.size());
        t.read(6); // not full: no eviction
        assertTrue(t.read(5)); // 5 visited
        t.read(7); // hand at 4 (unvisited) -> evict 4
        assertEquals(List.of(3L, 1L, 4L), evicted);
    }

    @Test
    void writesAllocateLikeReads() {
        for (String name : Policies.names()) {
            CachePolicy p = Policies.create(name, 4, null);
            Touch w = new Touch().set(42, 0, true);
            w.nextUse = 1;
            assertFalse(p.access(w), name);
            assertTrue(p.contains(42), name);
            w.index = 1;
            w.nextUse = Touch.NEVER;
            assertTrue(p.access(w), name);
        }
    }

    @Test
    void capacityZeroNeverAdmits() {
        for (String name : Policies.names()) {
            CachePolicy p = Policies.create(name, 0, null);
            Touches t = new Touches(p);
            assertEquals(0, t.readAll(1, 1, 2, 1), name);
            assertEquals(0, p.size(), name);
            assertFalse(p.contains(1), name);
            p.remove(1);
        }
    }
}
