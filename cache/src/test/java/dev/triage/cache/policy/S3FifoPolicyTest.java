package dev.triage.cache.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** S3-FIFO on a ten-block cache: S target 1 block (10%), ghost 9 entries. */
class S3FifoPolicyTest {

    @Test
    void ghostHitIsReadmittedToMain() {
        S3FifoPolicy p = new S3FifoPolicy(10);
        Touches t = new Touches(p);
        t.readAll(1, 2, 3, 4, 5, 6, 7, 8, 9, 10); // all in S
        t.read(11); // S's oldest, 1, unvisited: evicted to the ghost
        assertFalse(p.contains(1));
        assertTrue(p.inGhost(1));
        assertFalse(t.read(1)); // ghost hit: a miss that goes straight to M; 2 is evicted to G
        assertTrue(p.inMain(1));
        assertFalse(p.inGhost(1));
        assertFalse(p.contains(2));
        assertTrue(p.inGhost(2));
    }

    @Test
    void visitedBlockMovesFromSmallToMain() {
        S3FifoPolicy p = new S3FifoPolicy(10);
        Touches t = new Touches(p);
        t.readAll(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertTrue(t.read(1)); // freq 1
        t.read(11); // 1 moves to M, 2 is evicted
        assertTrue(p.inMain(1));
        assertFalse(p.contains(2));
        assertArrayEquals(new long[] {9, 1, 1}, p.listSizes());
    }

    @Test
    void mainReinsertsWhileFrequencyLasts() {
        S3FifoPolicy p = new S3FifoPolicy(20); // S is evicted from while it holds >= 2 blocks
        Touches t = new Touches(p);
        for (long b = 1; b <= 20; b++) {
            t.read(b);
        }
        for (long b = 1; b <= 19; b++) {
            assertTrue(t.read(b)); // freq 1
        }
        t.read(21); // S drains: 1..19 move to M (keeping freq 1), 20 is evicted to G
        assertArrayEquals(new long[] {1, 19, 1}, p.listSizes());
        assertTrue(p.inGhost(20));
        t.readAll(1, 1); // freq(1) = 3
        t.read(22); // S holds 1 < 2: M's tail is examined. First pass lowers every freq by one
        // (1: 3 -> 2, others 1 -> 0) and reinserts; second pass lowers 1 again and evicts 2
        assertTrue(p.inMain(1));
        assertFalse(p.contains(2));
        assertFalse(p.inGhost(2), "M's evictions are not remembered");
        assertTrue(p.inMain(3));
        assertArrayEquals(new long[] {2, 18, 1}, p.listSizes());
    }
}
