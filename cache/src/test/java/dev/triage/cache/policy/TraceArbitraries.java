package dev.triage.cache.policy;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/** Random traces over small universes of blocks, with reads, writes and discards. */
final class TraceArbitraries {
    private TraceArbitraries() {}

    /** Block numbers, including the extremes a hash map might treat specially. */
    static long blockNumber(long i) {
        if (i == 0) return Long.MIN_VALUE;
        if (i == 1) return -1;
        if (i == 2) return Long.MAX_VALUE;
        if (i == 3) return 0;
        return i * 7919;
    }

    static Arbitrary<List<Step>> traces(int maxUniverse, int maxLength, int classes) {
        return Arbitraries.integers().between(1, maxUniverse).flatMap(n -> {
            Arbitrary<Long> block = Arbitraries.longs().between(0, n - 1).map(TraceArbitraries::blockNumber);
            Arbitrary<Integer> cls = Arbitraries.integers().between(0, classes - 1);
            Arbitrary<Step> step = Arbitraries.frequencyOf(
                    Tuple.of(6, Arbitraries.of('R', 'W').flatMap(op ->
                            block.flatMap(b -> cls.map(c -> new Step(op, b, c))))),
                    Tuple.of(1, block.map(Step::discard)));
            return step.list().ofMaxSize(maxLength);
        });
    }

    static Arbitrary<Integer> capacities(int max) {
        return Arbitraries.integers().between(0, max);
    }
}
