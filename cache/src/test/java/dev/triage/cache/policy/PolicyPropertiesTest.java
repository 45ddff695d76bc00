package dev.triage.cache.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.policy.PolicyTable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties every policy (or the optimum, or the stack policies) must have. */
class PolicyPropertiesTest {

    private static final PolicyTable UNIFORM = PolicyTable.uniform(new ClassVocabulary());

    @Provide
    Arbitrary<List<Step>> traces() {
        return TraceArbitraries.traces(40, 400, 3);
    }

    @Provide
    Arbitrary<Integer> capacities() {
        return TraceArbitraries.capacities(45);
    }

    @Property(tries = 200)
    void optScoresAtLeastEveryPolicy(@ForAll("traces") List<Step> steps, @ForAll("capacities") int c) {
        long opt = Replay.hitCount(new OptPolicy(c), steps);
        for (String name : Policies.names()) {
            long hits = Replay.hitCount(Policies.create(name, c, UNIFORM), steps);
            assertTrue(hits <= opt, name + " scored " + hits + " > opt " + opt);
        }
    }

    @Property(tries = 200)
    void lruAndOptHitsNeverFallAsCapacityGrows(@ForAll("traces") List<Step> steps, @ForAll("capacities") int c) {
        for (String name : List.of("lru", "opt")) {
            long small = Replay.hitCount(Policies.create(name, c, UNIFORM), steps);
            long big = Replay.hitCount(Policies.create(name, c + 1, UNIFORM), steps);
            assertTrue(small <= big, name + " at " + c + ": " + small + " hits, at " + (c + 1) + ": " + big);
        }
    }

    @Property(tries = 100)
    void deterministic(@ForAll("traces") List<Step> steps, @ForAll("capacities") int c) {
        for (String name : Policies.names()) {
            List<Long> evictedA = new java.util.ArrayList<>();
            List<Long> evictedB = new java.util.ArrayList<>();
            CachePolicy a = Policies.create(name, c, UNIFORM);
            CachePolicy b = Policies.create(name, c, UNIFORM);
            a.setEvictionListener((block, cls) -> evictedA.add(block));
            b.setEvictionListener((block, cls) -> evictedB.add(block));
            assertEquals(Replay.hits(a, steps), Replay.hits(b, steps), name);
            assertEquals(evictedA, evictedB, name);
        }
    }

    /**
     * With room for every block, a policy misses only cold touches (first touches, or first
     * after a discard). Holds for every registered policy; {@code dss} only with a table that
     * admits every class uncapped (a bypassed or capped class declines admission by design).
     */
    @Property(tries = 200)
    void bigEnoughCacheMissesOnlyColdTouches(@ForAll("traces") List<Step> steps, @ForAll("capacities") int extra) {
        int c = Replay.distinct(steps).size() + extra;
        long touches = steps.stream().filter(Step::touch).count();
        long cold = Replay.coldTouches(steps);
        for (String name : Policies.names()) {
            long hits = Replay.hitCount(Policies.create(name, c, UNIFORM), steps);
            assertEquals(touches - cold, hits, name);
        }
    }

    /**
     * For every policy: never over capacity; the blocks it holds are exactly those admitted on a
     * miss, minus those it reported evicted and those discarded; an evicted block was cached;
     * capacity 0 never admits.
     */
    @Property(tries = 200)
    void evictionListenerAccountsForEveryBlock(@ForAll("traces") List<Step> steps, @ForAll("capacities") int c) {
        Set<Long> universe = Replay.distinct(steps);
        for (String name : Policies.names()) {
            CachePolicy p = Policies.create(name, c, UNIFORM);
            Set<Long> held = new HashSet<>();
            p.setEvictionListener((block, cls) -> {
                assertTrue(held.remove(block), name + " evicted " + block + " which it did not hold");
                assertFalse(p.contains(block), name + " still holds evicted " + block);
            });
            long[] next = p.needsFuture() ? Replay.nextUses(steps) : null;
            Touch t = new Touch();
            long index = 0;
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                if (!s.touch()) {
                    p.remove(s.block());
                    held.remove(s.block());
                } else {
                    t.set(s.block(), s.ioClass(), s.op() == 'W');
                    t.index = index++;
                    t.nextUse = next != null ? next[i] : Touch.NEVER;
                    boolean wasHeld = held.contains(s.block());
                    boolean hit = p.access(t);
                    assertEquals(wasHeld, hit, name + " hit flag at step " + i);
                    if (p.contains(s.block())) {
                        held.add(s.block());
                    } else {
                        assertFalse(hit, name + " lost the block it hit at step " + i);
                    }
                }
                assertTrue(p.size() <= p.capacity(), name + " over capacity");
                assertEquals(held.size(), p.size(), name + " size at step " + i);
                for (long b : universe) {
                    assertEquals(held.contains(b), p.contains(b), name + " contains " + b + " at step " + i);
                }
            }
            if (c == 0) {
                assertEquals(0, p.size(), name);
            }
        }
    }
}
