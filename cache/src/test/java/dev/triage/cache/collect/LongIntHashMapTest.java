package dev.triage.cache.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple3;

/** The primitive map behaves like a HashMap under any mix of puts, removes and lookups. */
class LongIntHashMapTest {

    @Provide
    Arbitrary<List<Tuple3<Integer, Long, Integer>>> operations() {
        Arbitrary<Long> keys = Arbitraries.oneOf(
                Arbitraries.longs().between(-50, 50),
                Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1),
                Arbitraries.longs().between(0, 60).map(k -> k << 32), // same low bits
                Arbitraries.longs());
        return Arbitraries.integers().between(0, 2)
                .flatMap(op -> keys.flatMap(k -> Arbitraries.integers().between(0, 1000)
                        .map(v -> Tuple.of(op, k, v))))
                .list().ofMaxSize(600);
    }

    @Property(tries = 300)
    void matchesHashMap(@ForAll("operations") List<Tuple3<Integer, Long, Integer>> ops) {
        LongIntHashMap map = new LongIntHashMap(2);
        Map<Long, Integer> ref = new HashMap<>();
        for (Tuple3<Integer, Long, Integer> o : ops) {
            long k = o.get2();
            switch (o.get1()) {
                case 0 -> assertEquals(ref.getOrDefault(k, -1), map.put(k, o.get3()));
                case 1 -> assertEquals(ref.getOrDefault(k, -1), map.remove(k));
                default -> assertEquals(ref.getOrDefault(k, -1), map.get(k));
            }
            if (o.get1() == 0) {
                ref.put(k, o.get3());
            } else if (o.get1() == 1) {
                ref.remove(k);
            }
            assertEquals(ref.size(), map.size());
        }
        for (Map.Entry<Long, Integer> e : ref.entrySet()) {
            assertEquals(e.getValue(), map.get(e.getKey()));
        }
    }
}
