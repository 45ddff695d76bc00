package dev.triage.bench;

import dev.triage.cache.collect.LongLongMap;
import dev.triage.cache.policy.Policies;
import dev.triage.cache.replay.ReplayEngine;
import dev.triage.cache.replay.Simulation;
import dev.triage.cache.replay.TouchExpander;
import dev.triage.cache.replay.TraceTotals;
import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.Op;
import dev.triage.hints.policy.PolicyConfig;
import dev.triage.hints.policy.PolicyFile;
import dev.triage.hints.trace.TraceFormat;
import dev.triage.hints.trace.TraceOptions;
import dev.triage.hints.trace.TraceReader;
import dev.triage.hints.trace.Traces;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The replay-speed harness of {@code bench/replay-speed.sh}: replays a trace through each policy
 * alone, on one thread, a few rounds in one JVM (so the JIT is warm), and prints for each policy
 * its hits, the touches per second of the whole replay (reading and parsing the trace included)
 * and the touches per second inside the policy. Only public API of the engine is used, so the
 * same harness measures an older build (put its jar first on the class path).
 *
 * <p>On a shared machine wall-clock rates say more about the neighbours than about the code, so
 * the main figure is touches per second of this thread's CPU time (with one thread the engine
 * reads, parses and simulates on the calling thread); wall-clock rates are printed beside it.
 *
 * <pre>
 * ReplaySpeed --trace FILE [--format lirs] [--block-size 4096] [--policies lru,arc] [--cache 10%|BYTES|blocks:N]
 *             [--rounds 3]
 * </pre>
 */
public final class ReplaySpeed {
    private ReplaySpeed() {}

    public static void main(String[] args) throws IOException {
        Path trace = null;
        String format = null;
        int blockSize = 4096;
        String policies = "lru,arc,s3fifo,wtinylfu,dss,opt";
        String cache = "10%";
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--trace" -> trace = Path.of(args[++i]);
                case "--format" -> format = args[++i];
                case "--block-size" -> blockSize = Integer.parseInt(args[++i]);
                case "--policies" -> policies = args[++i];
                case "--cache" -> cache = args[++i];
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("ReplaySpeed: unknown argument " + a);
                    System.exit(2);
                }
            }
        }
        if (trace == null) {
            System.err.println("ReplaySpeed: --trace FILE is required");
            System.exit(2);
        }
        TraceFormat f = format == null ? null : TraceFormat.ofCliName(format);
        ClassVocabulary vocabulary = new ClassVocabulary();
        PolicyConfig config = PolicyFile.loadPathOrBuiltin(PolicyFile.DEFAULT, vocabulary);
        TraceOptions options = TraceOptions.defaults(vocabulary).withFormat(f).withBlockSize(blockSize);
        long blocks = capacity(cache, trace, options, blockSize);
        System.out.printf(Locale.ROOT, "# trace %s, cache %d blocks of %d B, best of %d rounds, 1 thread%n", trace,
                blocks, blockSize, rounds);
        System.out.printf(Locale.ROOT, "%-10s %12s %12s %9s %14s %14s %16s%n", "policy", "touches", "hits", "hit%",
                "touch/cpu-s", "touch/s(wall)", "touch/s(policy,wall)");
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (String p : policies.split(",")) {
            double bestRun = 0;
            double bestPolicy = 0;
            double bestCpu = 0;
            long hits = 0;
            long touches = 0;
            for (int r = 0; r < rounds; r++) {
                Simulation sim = new Simulation(p, blocks * blockSize, Policies.create(p, blocks, config.table()));
                long start = System.nanoTime();
                long cpu = mx.getCurrentThreadCpuTime();
                TraceTotals totals;
                try (TraceReader reader = Traces.open(trace, options)) {
                    totals = new ReplayEngine(blockSize, 1, null).run(reader, config.classifier(), List.of(sim));
                }
                double sec = (System.nanoTime() - start) / 1e9;
                double cpuSec = (mx.getCurrentThreadCpuTime() - cpu) / 1e9;
                touches = totals.touches();
                hits = sim.stats().totalHits();
                bestRun = Math.max(bestRun, touches / sec);
                bestCpu = Math.max(bestCpu, touches / cpuSec);
                bestPolicy = Math.max(bestPolicy, touches / (sim.elapsedNanos() / 1e9));
            }
            System.out.printf(Locale.ROOT, "%-10s %12d %12d %8.4f%% %14.0f %14.0f %16.0f%n", p, touches, hits,
                    touches == 0 ? 0.0 : 100.0 * hits / touches, bestCpu, bestRun, bestPolicy);
        }
    }

    private static long capacity(String cache, Path trace, TraceOptions options, int blockSize) throws IOException {
        if (cache.startsWith("blocks:")) {
            return Long.parseLong(cache.substring(7));
        }
        if (!cache.endsWith("%")) {
            return Long.parseLong(cache) / blockSize;
        }
        double share = Double.parseDouble(cache.substring(0, cache.length() - 1)) / 100;
        TouchExpander ex = new TouchExpander(blockSize);
        LongLongMap seen = new LongLongMap(1 << 16, 0);
        BlockRequest r = new BlockRequest();
        try (TraceReader reader = Traces.open(trace, options)) {
            while (reader.next(r)) {
                if (r.op == Op.READ || r.op == Op.WRITE) {
                    long first = ex.firstBlock(r);
                    long n = ex.blockCount(r);
                    for (long i = 0; i < n; i++) {
                        seen.put(first + i, 1);
                    }
                }
            }
        }
        return Math.max(1, (long) Math.floor(seen.size() * share));
    }
}
