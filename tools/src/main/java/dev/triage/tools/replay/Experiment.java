package dev.triage.tools.replay;

import dev.triage.cache.collect.LongLongMap;
import dev.triage.cache.policy.CachePolicy;
import dev.triage.cache.policy.Policies;
import dev.triage.cache.replay.ReplayEngine;
import dev.triage.cache.replay.Simulation;
import dev.triage.cache.replay.TouchExpander;
import dev.triage.cache.replay.TraceTotals;
import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.Op;
import dev.triage.hints.policy.PolicyConfig;
import dev.triage.hints.policy.PolicyTable;
import dev.triage.hints.trace.TraceReader;
import dev.triage.tools.UserError;
import dev.triage.tools.term.Progress;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Runs policies × cache sizes over one trace and keeps the results. */
public final class Experiment {
    private final TraceInput input;
    private final PolicyConfig policies;
    private final ClassVocabulary vocabulary;
    private final boolean progress;

    public Experiment(TraceInput input, PolicyConfig policies, boolean progress) {
        this.input = input;
        this.policies = policies;
        this.vocabulary = policies.vocabulary();
        this.progress = progress;
    }

    /** The outcome of a run. */
    public record Outcome(List<Simulation> simulations, TraceTotals totals, long distinctBlocks, double seconds,
            List<String> skippedSamples) {}

    /** Checks policy names before any work, so a typo costs nothing. */
    public static List<String> checkPolicies(String option, List<String> names, ClassVocabulary vocabulary) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            String s = n.trim().toLowerCase(java.util.Locale.ROOT);
            if (s.isEmpty()) {
                continue;
            }
            try {
                Policies.create(s, 1, PolicyTable.uniform(vocabulary));
            } catch (IllegalArgumentException e) {
                throw new UserError(option + ": " + e.getMessage());
            }
            out.add(s);
        }
        if (out.isEmpty()) {
            throw new UserError(option + ": no policy given");
        }
        return out;
    }

    public Outcome run(List<String> policyNames, List<CacheSize> sizes, int threads) throws IOException {
        int blockSize = input.blockSize();
        long distinct = -1;
        if (sizes.stream().anyMatch(CacheSize::relative)) {
            if (!input.rereadable()) {
                throw new UserError("cache sizes as a share of the working set need a trace that can be read twice, not stdin");
            }
            distinct = distinctBlocks(blockSize);
        }
        List<Simulation> sims = new ArrayList<>();
        for (String p : policyNames) {
            for (CacheSize size : sizes) {
                long bytes = size.resolve(distinct, blockSize);
                long blocks = bytes / blockSize;
                CachePolicy policy = Policies.create(p, blocks, policies.table());
                sims.add(new Simulation(p, blocks * blockSize, policy));
            }
        }
        long start = System.nanoTime();
        try (TraceReader reader = input.open(vocabulary);
                Progress bar = Progress.start("replay", reader.bytesTotal(), progress)) {
            ReplayEngine engine = new ReplayEngine(blockSize, threads, bar);
            TraceTotals totals = engine.run(reader, policies.classifier(), sims);
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Outcome(sims, totals, distinct, seconds, reader.skippedSamples());
        }
    }

    /** The trace's working set: distinct blocks touched by reads and writes. */
    private long distinctBlocks(int blockSize) throws IOException {
        TouchExpander ex = new TouchExpander(blockSize);
        LongLongMap seen = new LongLongMap(1 << 16, 0);
        BlockRequest r = new BlockRequest();
        try (TraceReader reader = input.open(vocabulary);
                Progress bar = Progress.start("working set", reader.bytesTotal(), progress)) {
            long n = 0;
            while (reader.next(r)) {
                if (r.op == Op.READ || r.op == Op.WRITE) {
                    long first = ex.firstBlock(r);
                    long count = ex.blockCount(r);
                    for (long i = 0; i < count; i++) {
                        seen.put(first + i, 1);
                    }
                }
                if ((++n & 0xFFF) == 0) {
                    bar.accept(reader.bytesRead());
                }
            }
        }
        return seen.size();
    }
}
