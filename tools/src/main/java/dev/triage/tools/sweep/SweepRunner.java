package dev.triage.tools.sweep;

import dev.triage.cache.curve.HitCurve;
import dev.triage.cache.curve.LruCurve;
import dev.triage.cache.curve.ShardsCurve;
import dev.triage.cache.policy.Policies;
import dev.triage.cache.replay.ClassStats;
import dev.triage.cache.replay.CurveFeeder;
import dev.triage.cache.replay.ReplayEngine;
import dev.triage.cache.replay.Simulation;
import dev.triage.cache.replay.TouchConsumer;
import dev.triage.cache.replay.TraceTotals;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.policy.PolicyConfig;
import dev.triage.hints.trace.TraceReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * Runs a sweep: many policies at many sizes in one pass over the trace, spread over worker
 * threads. LRU comes from its stack distances (one curve for every size, exact); other policies
 * are one simulation per size; optionally a SHARDS estimate of LRU's curve beside them.
 */
public final class SweepRunner {
    /** The name of the SHARDS series. */
    public static final String SHARDS = "lru~shards";

    private final PolicyConfig config;
    private final int blockSize;
    private final int threads;

    public SweepRunner(PolicyConfig config, int blockSize, int threads) {
        this.config = config;
        this.blockSize = blockSize;
        this.threads = threads;
    }

    /**
     * @param sizes cache sizes in blocks, ascending and distinct
     * @param shardsRate SHARDS fixed rate (0 for none)
     * @param shardsBlocks SHARDS fixed size in sampled blocks (0 for none)
     */
    public SweepResult run(TraceReader reader, String traceName, List<String> policies, long[] sizes,
            double shardsRate, int shardsBlocks, LongConsumer progress) throws IOException {
        List<TouchConsumer> consumers = new ArrayList<>();
        List<Object> bySeries = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (String p : policies) {
            if (p.equals("lru")) {
                CurveFeeder f = new CurveFeeder("lru", new LruCurve(sizes));
                consumers.add(f);
                bySeries.add(f);
                notes.add("exact, from stack distances in one pass");
            } else {
                Simulation[] sims = new Simulation[sizes.length];
                for (int i = 0; i < sizes.length; i++) {
                    sims[i] = new Simulation(p, sizes[i] * blockSize, Policies.create(p, sizes[i], config.table()));
                    consumers.add(sims[i]);
                }
                bySeries.add(sims);
                notes.add("replayed");
            }
            names.add(p);
        }
        if (shardsRate > 0 || shardsBlocks > 0) {
            ShardsCurve c = shardsBlocks > 0 ? ShardsCurve.fixedSize(sizes, shardsBlocks)
                    : ShardsCurve.fixedRate(sizes, shardsRate);
            CurveFeeder f = new CurveFeeder(SHARDS, c);
            consumers.add(f);
            bySeries.add(f);
            names.add(SHARDS);
            notes.add(shardsBlocks > 0 ? "SHARDS, fixed size " + shardsBlocks + " blocks" :
                    String.format(Locale.ROOT, "SHARDS, fixed rate %.4g", shardsRate));
        }
        long start = System.nanoTime();
        TraceTotals totals = new ReplayEngine(blockSize, threads, progress).run(reader, config.classifier(), consumers);
        double seconds = (System.nanoTime() - start) / 1e9;

        ClassVocabulary vocab = config.vocabulary();
        // the classes with touches
        long[] perClass = new long[Math.max(vocab.size(), 1) + 64];
        for (Object o : bySeries) {
            if (o instanceof Simulation[] sims) {
                ClassStats st = sims[0].stats();
                for (int c = 0; c < st.classes() && c < perClass.length; c++) {
                    perClass[c] = Math.max(perClass[c], st.touches(c));
                }
            } else {
                HitCurve h = ((CurveFeeder) o).curve();
                for (int c = 0; c < h.classes() && c < perClass.length; c++) {
                    perClass[c] = Math.max(perClass[c], h.touches(c));
                }
            }
        }
        List<Integer> ids = new ArrayList<>();
        List<String> classNames = new ArrayList<>();
        for (int c = 0; c < perClass.length; c++) {
            if (perClass[c] > 0) {
                ids.add(c);
                classNames.add(c < vocab.size() ? vocab.name(c) : "class" + c);
            }
        }
        long[] classTouches = ids.stream().mapToLong(c -> perClass[c]).toArray();
        List<SweepResult.Series> series = new ArrayList<>();
        for (int s = 0; s < bySeries.size(); s++) {
            Object o = bySeries.get(s);
            double[][] ratio = new double[sizes.length][ids.size() + 1];
            long[] hits = null;
            boolean estimate = false;
            if (o instanceof Simulation[] sims) {
                hits = new long[sizes.length];
                for (int i = 0; i < sizes.length; i++) {
                    ClassStats st = sims[i].stats();
                    for (int k = 0; k < ids.size(); k++) {
                        long t = st.touches(ids.get(k));
                        ratio[i][k] = t == 0 ? 0 : (double) st.hits(ids.get(k)) / t;
                    }
                    long t = st.totalTouches();
                    hits[i] = st.totalHits();
                    ratio[i][ids.size()] = t == 0 ? 0 : (double) hits[i] / t;
                }
            } else {
                HitCurve h = ((CurveFeeder) o).curve();
                estimate = h instanceof ShardsCurve;
                if (h instanceof LruCurve lc) {
                    hits = new long[sizes.length];
                    for (int i = 0; i < sizes.length; i++) {
                        hits[i] = lc.hits(i, -1);
                    }
                }
                for (int i = 0; i < sizes.length; i++) {
                    for (int k = 0; k < ids.size(); k++) {
                        ratio[i][k] = h.hitRatio(i, ids.get(k));
                    }
                    ratio[i][ids.size()] = h.hitRatio(i, -1);
                }
            }
            series.add(new SweepResult.Series(names.get(s), ratio, hits, estimate, notes.get(s)));
        }
        List<Long> sizeBytes = Arrays.stream(sizes).map(b -> b * blockSize).boxed().toList();
        return new SweepResult(traceName, blockSize, totals.touches(), totals.requests(), seconds,
                Math.min(threads, consumers.size()), sizeBytes, classNames, classTouches, series);
    }
}
