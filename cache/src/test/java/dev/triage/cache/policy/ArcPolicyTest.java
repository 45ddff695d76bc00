package dev.triage.cache.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** ARC on a two-block cache, step by step against the paper's figure 4. */
class ArcPolicyTest {

    @Test
    void ghostHitsAdaptTarget() {
        ArcPolicy p = new ArcPolicy(2);
        Touches t = new Touches(p);
        t.readAll(1, 1); // T2 = [1]
        t.read(2); // T1 = [2]
        assertArrayEquals(new long[] {1, 1, 0, 0}, p.listSizes());
        t.read(3); // case IV-B: REPLACE moves 2 (|T1| = 1 > p = 0) to B1
        assertArrayEquals(new long[] {1, 1, 1, 0}, p.listSizes());
        assertFalse(p.contains(2));
        assertEquals(0, p.target());

        assertFalse(t.read(2)); // case II: ghost hit in B1 raises p by 1; REPLACE moves 1 (T2) to B2
        assertEquals(1, p.target());
        assertTrue(p.contains(2) && p.contains(3));
        assertFalse(p.contains(1));
        assertArrayEquals(new long[] {1, 1, 0, 1}, p.listSizes()); // T1 = [3], T2 = [2], B2 = [1]

        assertFalse(t.read(1)); // case III: ghost hit in B2 lowers p by 1; REPLACE moves 3 to B1
        assertEquals(0, p.target());
        assertArrayEquals(new long[] {0, 2, 1, 0}, p.listSizes()); // T2 = [1, 2], B1 = [3]
        assertTrue(p.contains(1) && p.contains(2));
    }

    @Test
    void scanDoesNotFlushFrequentBlocks() {
        ArcPolicy arc = new ArcPolicy(4);
        LruPolicy lru = new LruPolicy(4);
        Touches a = new Touches(arc);
        Touches l = new Touches(lru);
        long[] warm = {1, 2, 1, 2, 1, 2};
        a.readAll(warm);
        l.readAll(warm);
        long[] scan = {10, 11, 12, 13, 14, 15};
        a.readAll(scan);
        l.readAll(scan);
        assertTrue(arc.contains(1) && arc.contains(2), "ARC keeps T2 through a scan");
        assertFalse(lru.contains(1) || lru.contains(2), "LRU does not");
    }

    @Test
    void discardDropsGhostsToo() {
        ArcPolicy p = new ArcPolicy(2);
        Touches t = new Touches(p);
        t.readAll(1, 1, 2, 3); // B1 = [2]
        p.remove(2);
        assertArrayEquals(new long[] {1, 1, 0, 0}, p.listSizes());
        assertFalse(t.read(2)); // now a plain miss (case IV), p unchanged
        assertEquals(0, p.target());
    }
}
