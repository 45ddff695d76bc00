package dev.triage.cache.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** 2Q (full version) on an eight-block cache: Kin = 2, Kout = 4. */
class TwoQueuePolicyTest {

    @Test
    void a1outHitPromotesToAm() {
        TwoQueuePolicy p = new TwoQueuePolicy(8);
        Touches t = new Touches(p);
        t.readAll(1, 2, 3, 4, 5, 6, 7, 8); // all in A1in (free slots)
        assertArrayEquals(new long[] {8, 0, 0}, p.listSizes());
        assertTrue(t.read(1)); // a hit in A1in changes nothing
        t.read(9); // A1in over Kin: 1 (oldest) goes to A1out
        assertFalse(p.contains(1));
        assertArrayEquals(new long[] {8, 0, 1}, p.listSizes());
        assertFalse(t.read(1)); // A1out hit: miss, 2 goes to A1out, 1 enters Am
        assertArrayEquals(new long[] {7, 1, 1}, p.listSizes());
        assertTrue(p.contains(1));
        assertFalse(p.contains(2));
    }

    @Test
    void amIsLruAndLosesBlocksOnlyWhenA1inIsSmall() {
        TwoQueuePolicy p = new TwoQueuePolicy(8);
        Touches t = new Touches(p);
        t.readAll(1, 2, 3, 4, 5, 6, 7, 8);
        t.readAll(9, 10, 11, 12); // 1..4 to A1out (Kout = 4)
        t.readAll(1, 2, 3, 4, 5, 6); // ghost hits: each enters Am and pushes A1in's oldest out
        assertArrayEquals(new long[] {2, 6, 4}, p.listSizes()); // A1in = Kin = [12, 11]
        t.readAll(20, 21, 22, 23, 24, 25);
        // the first new block finds A1in at Kin, so Am gives up its LRU block (1); from then
        // on A1in is over Kin and the scan cycles through A1in only
        assertFalse(p.contains(1));
        for (long b = 2; b <= 6; b++) {
            assertTrue(p.contains(b), "Am keeps " + b);
        }
        assertArrayEquals(new long[] {3, 5, 4}, p.listSizes());
    }
}
