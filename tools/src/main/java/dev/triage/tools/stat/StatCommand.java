package dev.triage.tools.stat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.Op;
import dev.triage.hints.Sizes;
import dev.triage.hints.policy.PolicyConfig;
import dev.triage.hints.trace.TraceReader;
import dev.triage.tools.UserError;
import dev.triage.tools.replay.PolicyFileInput;
import dev.triage.tools.replay.TraceInput;
import dev.triage.tools.term.Progress;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import dev.triage.tools.pool.PoolDevices;
import dev.triage.tools.pool.PoolStatCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code triage stat TRACE}: what a trace holds. The trace is a positional parameter (or
 * {@code --trace}), so that other things to describe (a live pool) can get options of their own.
 */
@Command(name = "stat", mixinStandardHelpOptions = true,
        description = {"Describe a trace: requests, bytes, distinct blocks (the working set), shares per I/O class, "
                + "the read/write mix, and a histogram of reuse distances (LRU stack distances) in log2 buckets.",
                "Without a trace, the bundled one is described."},
        footer = {"", "Examples:", "  triage stat postmark.csv.gz", "  triage stat --format lirs multi3.trace --json"})
public final class StatCommand implements Callable<Integer> {
    @Mixin
    TraceInput input;

    @Mixin
    PolicyFileInput policyFile;

    @Parameters(index = "0", arity = "0..1", paramLabel = "TRACE", description = "The trace (same as --trace).")
    Path positional;

    @Option(names = "--sample", paramLabel = "RATE", defaultValue = "1",
            description = "Estimate the working set and the reuse histogram from a spatial sample of the blocks at this "
                    + "rate (e.g. 0.01), for traces whose distinct blocks do not fit in memory. Default: exact.")
    double sample;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Option(names = "--pool", paramLabel = "DEV",
            description = "Describe a pool instead of a trace: space and cache use per volume, class and zone.")
    Path pool;

    @Option(names = "--fast", paramLabel = "DEV", description = "With --pool: the pool's cache (fast) device.")
    Path fast;

    @Option(names = "--buffered", description = "With --pool: open the devices without O_DIRECT.")
    boolean buffered;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        if (pool != null) {
            if (positional != null || input.tracePath() != null) {
                throw new UserError("stat: give a trace or --pool, not both");
            }
            return PoolStatCommand.print(PoolDevices.of(pool, fast, policyFile, buffered), json);
        }
        if (positional != null) {
            if (input.tracePath() != null && !input.tracePath().equals(positional)) {
                throw new UserError("two traces given (" + positional + " and --trace " + input.tracePath() + ")");
            }
            input.setTracePath(positional);
        }
        if (!(sample > 0 && sample <= 1)) {
            throw new UserError("--sample: the rate must be in (0, 1], got " + sample);
        }
        ClassVocabulary vocabulary = new ClassVocabulary();
        PolicyConfig config = policyFile.load(vocabulary);
        long start = System.nanoTime();
        TraceStats s;
        try (TraceReader reader = input.open(vocabulary);
                Progress bar = Progress.start("stat", reader.bytesTotal(), !noProgress)) {
            s = TraceStats.of(reader, config.classifier(), input.blockSize(), sample, bar);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (json) {
            json(s, vocabulary, seconds, System.out);
        } else {
            table(s, vocabulary, seconds, System.out);
        }
        return 0;
    }

    private void table(TraceStats s, ClassVocabulary v, double seconds, PrintStream out) {
        long reqs = 0;
        for (long r : s.requests) {
            reqs += r;
        }
        int bs = input.blockSize();
        out.printf(Locale.ROOT, "trace          %s%n", input.name());
        out.printf(Locale.ROOT, "requests       %,d  (R %,d  W %,d  D %,d  F %,d)%n", reqs, s.requests[Op.READ.ordinal()],
                s.requests[Op.WRITE.ordinal()], s.requests[Op.DISCARD.ordinal()], s.requests[Op.FLUSH.ordinal()]);
        out.printf(Locale.ROOT, "bytes          read %s  written %s  discarded %s%n", Sizes.format(s.bytes[Op.READ.ordinal()]),
                Sizes.format(s.bytes[Op.WRITE.ordinal()]), Sizes.format(s.bytes[Op.DISCARD.ordinal()]));
        out.printf(Locale.ROOT, "touches        %,d blocks of %d B: %.1f%% reads, %.1f%% writes%n", s.touches, bs,
                pct(s.readTouches, s.touches), pct(s.touches - s.readTouches, s.touches));
        out.printf(Locale.ROOT, "working set    %s%,d distinct blocks (%s)%s%n", s.rate < 1 ? "~" : "", s.distinctBlocks,
                Sizes.format(s.distinctBlocks * bs), s.rate < 1
                        ? String.format(Locale.ROOT, "; it and the reuse histogram from a %.4g sample of the blocks", s.rate)
                        : "");
        out.printf(Locale.ROOT, "time           %.2f s%n%n", seconds);
        out.printf(Locale.ROOT, "%-14s %12s %8s %12s %8s %7s%n", "class", "requests", "share", "touches", "share", "reads");
        for (int c = 0; c < s.classTouches.length; c++) {
            if (s.classRequests[c] == 0) {
                continue;
            }
            out.printf(Locale.ROOT, "%-14s %,12d %7.2f%% %,12d %7.2f%% %6.1f%%%n", v.name(c), s.classRequests[c],
                    pct(s.classRequests[c], reqs), s.classTouches[c], pct(s.classTouches[c], s.touches),
                    pct(s.classReadTouches[c], s.classTouches[c]));
        }
        out.printf(Locale.ROOT, "%nreuse distance (distinct blocks between two touches of a block)%n");
        out.printf(Locale.ROOT, "%-22s %14s %8s %8s%n", "distance", "touches", "share", "cum.");
        long cum = 0;
        int last = 0;
        for (int k = 0; k < TraceStats.BUCKETS; k++) {
            if (s.reuse[k] > 0) {
                last = k;
            }
        }
        for (int k = 0; k <= last; k++) {
            cum += s.reuse[k];
            String range = k == 0 ? "0" : k == 1 ? "1" : String.format(Locale.ROOT, "%d-%d", 1L << (k - 1), (1L << k) - 1);
            out.printf(Locale.ROOT, "%-22s %,14d %7.2f%% %7.2f%%%n", range, s.reuse[k], pct(s.reuse[k], s.touches),
                    pct(cum, s.touches));
        }
        out.printf(Locale.ROOT, "%-22s %,14d %7.2f%%%n", "first touch (cold)", s.coldTouches, pct(s.coldTouches, s.touches));
    }

    private static double pct(long a, long b) {
        return b == 0 ? 0 : 100.0 * a / b;
    }

    private void json(TraceStats s, ClassVocabulary v, double seconds, PrintStream out) throws java.io.IOException {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode d = m.createObjectNode();
        d.put("trace", input.name());
        d.put("block_size", input.blockSize());
        ObjectNode req = d.putObject("requests");
        ObjectNode bytes = d.putObject("bytes");
        for (Op op : Op.values()) {
            req.put(op.name().toLowerCase(Locale.ROOT), s.requests[op.ordinal()]);
            bytes.put(op.name().toLowerCase(Locale.ROOT), s.bytes[op.ordinal()]);
        }
        d.put("touches", s.touches);
        d.put("read_touches", s.readTouches);
        d.put("write_touches", s.touches - s.readTouches);
        d.put("discarded_blocks", s.discardedBlocks);
        d.put("distinct_blocks", s.distinctBlocks);
        d.put("cold_touches", s.coldTouches);
        d.put("sample_rate", s.rate);
        ObjectNode classes = d.putObject("classes");
        for (int c = 0; c < s.classTouches.length; c++) {
            if (s.classRequests[c] > 0) {
                ObjectNode o = classes.putObject(v.name(c));
                o.put("requests", s.classRequests[c]);
                o.put("touches", s.classTouches[c]);
                o.put("read_touches", s.classReadTouches[c]);
            }
        }
        ArrayNode h = d.putArray("reuse_log2");
        for (int k = 0; k < TraceStats.BUCKETS; k++) {
            ObjectNode o = h.addObject();
            o.put("from", k == 0 ? 0 : 1L << (k - 1));
            o.put("to", k == 0 ? 0 : (1L << k) - 1);
            o.put("touches", s.reuse[k]);
        }
        d.put("seconds", seconds);
        out.println(m.writeValueAsString(d));
    }
}
