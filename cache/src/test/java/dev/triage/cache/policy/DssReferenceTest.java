package dev.triage.cache.policy;

import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.policy.ClassPolicy;
import dev.triage.hints.policy.PolicyTable;
import dev.triage.hints.policy.WriteMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@code dss} makes the same decisions as a brute-force model of its rules (a flat list of
 * blocks scanned at every miss) on random traces of three classes under random class tables:
 * priorities with ties, bypassed, capped and pinned classes.
 */
class DssReferenceTest {
    private static final int CLASSES = 3;

    @Provide
    Arbitrary<List<Step>> traces() {
        return TraceArbitraries.traces(30, 300, CLASSES);
    }

    @Provide
    Arbitrary<List<ClassPolicy>> tables() {
        Arbitrary<ClassPolicy> cls = Combinators.combine(
                        Arbitraries.integers().between(0, 3).map(p -> p * 50),
                        Arbitraries.frequency(
                                net.jqwik.api.Tuple.of(5, true), net.jqwik.api.Tuple.of(1, false)),
                        Arbitraries.of(0.25, 0.5, 0.75, 1.0),
                        Arbitraries.frequency(
                                net.jqwik.api.Tuple.of(4, false), net.jqwik.api.Tuple.of(1, true)))
                .as((prio, admit, share, pinned) ->
                        new ClassPolicy("x", prio, admit, share, pinned, null, WriteMode.INHERIT));
        return cls.list().ofSize(CLASSES);
    }

    @Property(tries = 400)
    void dssMatchesBruteForceModel(@ForAll("traces") List<Step> steps, @ForAll("tables") List<ClassPolicy> policies,
            @ForAll("capacities") int c) {
        ClassVocabulary v = new ClassVocabulary();
        Map<String, ClassPolicy> named = new LinkedHashMap<>();
        ClassPolicy[] byId = new ClassPolicy[CLASSES];
        for (int i = 0; i < CLASSES; i++) {
            ClassPolicy p = policies.get(i);
            String name = v.name(i);
            byId[i] = new ClassPolicy(name, p.priority(), p.admit(), p.maxShare(), p.pinned(), null, p.writeMode());
            named.put(name, byId[i]);
        }
        PolicyTable table = new PolicyTable(v, named, ClassPolicy.defaultFor("*"));
        DssPolicy fast = new DssPolicy(c, table);
        Model model = new Model(c, byId);
        Compare.sameDecisions(fast, model, steps, true);
        for (int k = 0; k < CLASSES; k++) {
            org.junit.jupiter.api.Assertions.assertEquals(model.occupancy(k), fast.occupancy(k), "occupancy of " + k);
        }
        for (Model.Entry e : model.entries) {
            org.junit.jupiter.api.Assertions.assertEquals(e.cls, fast.classOf(e.block), "class of " + e.block);
        }
    }

    @Provide
    Arbitrary<Integer> capacities() {
        return TraceArbitraries.capacities(20);
    }

    /** The rules of DssPolicy's javadoc, by scanning a list. */
    static final class Model implements ReferenceModel {
        static final class Entry {
            final long block;
            int cls;
            long stamp;

            Entry(long block, int cls, long stamp) {
                this.block = block;
                this.cls = cls;
                this.stamp = stamp;
            }
        }

        private final int capacity;
        private final ClassPolicy[] classes;
        private final List<Entry> entries = new ArrayList<>();
        private long clock;

        Model(int capacity, ClassPolicy[] classes) {
            this.capacity = capacity;
            this.classes = classes;
        }

        private long cap(int k) {
            return classes[k].admit() ? (long) Math.floor(classes[k].maxShare() * capacity) : 0;
        }

        private long occupancy(int k) {
            return entries.stream().filter(e -> e.cls == k).count();
        }

        /** Oldest entry among classes accepted by the filter, all of the largest priority value. */
        private Entry oldestOfLowestPriority(java.util.function.IntPredicate eligible) {
            int worst = -1;
            for (int k = 0; k < classes.length; k++) {
                if (eligible.test(k) && occupancy(k) > 0) {
                    worst = Math.max(worst, classes[k].priority());
                }
            }
            Entry oldest = null;
            for (Entry e : entries) {
                if (eligible.test(e.cls) && classes[e.cls].priority() == worst
                        && (oldest == null || e.stamp < oldest.stamp)) {
                    oldest = e;
                }
            }
            return oldest;
        }

        @Override
        public boolean access(int i, Step s) {
            int k = s.ioClass();
            for (Entry e : entries) {
                if (e.block == s.block()) {
                    e.stamp = ++clock;
                    if (classes[k].admit()) {
                        e.cls = k;
                    }
                    return true;
                }
            }
            if (!classes[k].admit() || capacity == 0) {
                return false;
            }
            Entry victim = null;
            if (occupancy(k) >= cap(k)) {
                if (occupancy(k) == 0) {
                    return false;
                }
                victim = oldestOfLowestPriority(c -> c == k);
            } else if (entries.size() >= capacity) {
                victim = oldestOfLowestPriority(c -> occupancy(c) > cap(c));
                if (victim == null) {
                    int pk = classes[k].priority();
                    victim = oldestOfLowestPriority(c -> classes[c].priority() >= pk && !classes[c].pinned());
                    if (victim == null) {
                        return false;
                    }
                }
            }
            entries.remove(victim);
            entries.add(new Entry(s.block(), k, ++clock));
            return false;
        }

        @Override
        public void remove(long block) {
            entries.removeIf(e -> e.block == block);
        }

        @Override
        public Set<Long> contents() {
            Set<Long> r = new HashSet<>();
            entries.forEach(e -> r.add(e.block));
            return r;
        }
    }
}
