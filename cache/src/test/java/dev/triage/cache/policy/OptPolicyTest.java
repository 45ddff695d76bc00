package dev.triage.cache.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Belady (rule 6) on small hand-checked traces. */
class OptPolicyTest {

    @Test
    void declinesBlockNeededLast() {
        // touches: 0:1 1:2 2:3 3:1 4:2 ; capacity 2
        List<Step> steps = List.of(Step.read(1), Step.read(2), Step.read(3), Step.read(1), Step.read(2));
        OptPolicy p = new OptPolicy(2);
        assertEquals(List.of(false, false, false, true, true), Replay.hits(p, steps));
        assertFalse(p.contains(3));
        assertEquals(0, Replay.hitCount(new LruPolicy(2), steps));
    }

    @Test
    void evictsFurthestNextUse() {
        // 0:1 1:2 2:3 3:2 4:3 5:1 ; at 2, block 1 (next 5) is furthest: evicted for 3
        List<Step> steps = List.of(
                Step.read(1), Step.read(2), Step.read(3), Step.read(2), Step.read(3), Step.read(1));
        OptPolicy p = new OptPolicy(2);
        assertEquals(List.of(false, false, false, true, true, false), Replay.hits(p, steps));
    }

    @Test
    void discardBeforeNextTouchCountsAsNever() {
        // 1 is discarded before its next touch, so it is the one to go when 3 arrives
        List<Step> steps = List.of(
                Step.read(1), Step.read(2), Step.read(3), Step.discard(1), Step.read(1), Step.read(2),
                Step.read(3));
        OptPolicy p = new OptPolicy(2);
        List<Boolean> hits = Replay.hits(p, steps);
        assertEquals(List.of(false, false, false, false, true, true), hits.subList(0, 6));
    }

    @Test
    void hitUpdatesNextUse() {
        OptPolicy p = new OptPolicy(2);
        Touches t = new Touches(p);
        t.touch(1, 0, 10);
        t.touch(2, 0, 5);
        assertTrue(t.touch(1, 0, 3));
        assertEquals(3, p.nextUseOf(1));
        // a miss needed at 4: 2 (next 5) is the furthest and goes
        assertFalse(t.touch(9, 0, 4));
        assertTrue(p.contains(9) && p.contains(1));
        assertFalse(p.contains(2));
        p.remove(9);
        assertEquals(1, p.size());
        assertTrue(p.needsFuture());
    }
}
