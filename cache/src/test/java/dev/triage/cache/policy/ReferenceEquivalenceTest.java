package dev.triage.cache.policy;

import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.policy.PolicyTable;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Each fast policy makes the same hit/miss decisions (and, except OPT, holds the same blocks)
 * as a deliberately simple reference model, on random traces with discards and random
 * capacities.
 */
class ReferenceEquivalenceTest {

    @Provide
    Arbitrary<List<Step>> traces() {
        return TraceArbitraries.traces(40, 400, 3);
    }

    @Provide
    Arbitrary<Integer> capacities() {
        return TraceArbitraries.capacities(45);
    }

    @Property(tries = 300)
    void lruMatchesLinkedHashMap(@ForAll("traces") List<Step> steps, @ForAll("capacities") int c) {
        Compare.sameDecisions(new LruPolicy(c), References.lru(c), steps, true);
    }

    @Property(tries = 300)
    void fifoMatchesDeque(@ForAll("traces") List<Step> steps, @ForAll("capacities") int c) {
        Compare.sameDecisions(new FifoPolicy(c), References.fifo(c), steps, true);
    }

    @Property(tries = 300)
    void optMatchesBruteForce(@ForAll("traces") List<Step> steps, @ForAll("capacities") int c) {
        // contents may differ between blocks that are never used again; hits may not
        Compare.sameDecisions(new OptPolicy(c), References.opt(c, steps), steps, false);
    }

    @Property(tries = 300)
    void clockMatchesListModel(@ForAll("traces") List<Step> steps, @ForAll("capacities") int c) {
        Compare.sameDecisions(new ClockPolicy(c), References.secondChance(c, false), steps, true);
    }

    @Property(tries = 300)
    void sieveMatchesListModel(@ForAll("traces") List<Step> steps, @ForAll("capacities") int c) {
        Compare.sameDecisions(new SievePolicy(c), References.secondChance(c, true), steps, true);
    }

    @Property(tries = 300)
    void arcMatchesPaperModel(@ForAll("traces") List<Step> steps, @ForAll("capacities") int c) {
        Compare.sameDecisions(new ArcPolicy(c), References.arc(c), steps, true);
    }

    @Property(tries = 300)
    void twoQMatchesPaperModel(@ForAll("traces") List<Step> steps, @ForAll("capacities") int c) {
        Compare.sameDecisions(new TwoQueuePolicy(c), References.twoQ(c), steps, true);
    }

    @Property(tries = 300)
    void s3fifoMatchesPaperModel(@ForAll("traces") List<Step> steps, @ForAll("capacities") int c) {
        Compare.sameDecisions(new S3FifoPolicy(c), References.s3fifo(c), steps, true);
    }

    @Property(tries = 300)
    void dssWithUniformTableIsLru(@ForAll("traces") List<Step> steps, @ForAll("capacities") int c) {
        PolicyTable uniform = PolicyTable.uniform(new ClassVocabulary());
        Compare.sameDecisions(new DssPolicy(c, uniform), References.lru(c), steps, true);
    }
}
