package dev.triage.tools.sweep;

import dev.triage.cache.collect.LongLongMap;
import dev.triage.cache.policy.Policies;
import dev.triage.cache.replay.TouchExpander;
import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.Op;
import dev.triage.hints.policy.PolicyConfig;
import dev.triage.hints.trace.TraceReader;
import dev.triage.tools.UserError;
import dev.triage.tools.replay.Experiment;
import dev.triage.tools.replay.PolicyFileInput;
import dev.triage.tools.replay.TraceInput;
import dev.triage.tools.term.Progress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code triage sweep}: many policies × many cache sizes in one pass, with plots. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Hit ratio against cache size for many policies at many sizes, in one pass over the trace "
                + "spread over all cores. LRU's curve comes exactly from stack distances; --shards adds a sampled "
                + "estimate of it (for traces too large to replay exactly) with its error against the exact one.",
                "Without --trace, the bundled trace is used."},
        footer = {"", "Examples:",
                "  triage sweep --trace postmark.csv.gz --cache 1%..50% --points 16 --plot sweep.svg",
                "  triage sweep --trace big.csv.zst --policies lru --cache 1GiB..64GiB --shards 0.01 --html report.html"})
public final class SweepCommand implements Callable<Integer> {
    public static final String DEFAULT_POLICIES = "lru,fifo,clock,sieve,arc,s3fifo,wtinylfu,dss";

    @Mixin
    TraceInput input;

    @Mixin
    PolicyFileInput policyFile;

    @Option(names = {"-P", "--policies"}, paramLabel = "LIST", defaultValue = DEFAULT_POLICIES,
            description = "Comma-separated policies. Default: ${DEFAULT-VALUE}.")
    String policies;

    @Option(names = {"-c", "--cache"}, paramLabel = "SIZES", defaultValue = "0.5%..50%",
            description = "Sizes: a list (16MiB,64MiB or 1%%,5%%) or a range FROM..TO cut into --points sizes on a log "
                    + "scale. Shares are of the trace's distinct blocks. Default: ${DEFAULT-VALUE}.")
    String cache;

    @Option(names = "--points", paramLabel = "N", defaultValue = "16",
            description = "Sizes in a range. Default: ${DEFAULT-VALUE}.")
    int points;

    @Option(names = "--shards", paramLabel = "RATE",
            description = "Add SHARDS's sampled LRU curve at this fixed sampling rate (e.g. 0.01).")
    Double shardsRate;

    @Option(names = "--shards-size", paramLabel = "BLOCKS",
            description = "Add SHARDS's sampled LRU curve with at most this many sampled blocks (fixed size).")
    Integer shardsBlocks;

    @Option(names = "--plot", paramLabel = "FILE.svg", description = "Write the plot (SVG): all classes, and a panel per class.")
    Path plot;

    @Option(names = "--html", paramLabel = "FILE.html", description = "Write an HTML report: summary, plot and tables.")
    Path html;

    @Option(names = "--csv", description = "Print CSV instead of the table.")
    boolean csv;

    @Option(names = "--json", description = "Print JSON instead of the table.")
    boolean json;

    @Option(names = "--per-class", description = "Also print a table per class.")
    boolean perClass;

    @Option(names = {"-j", "--threads"}, paramLabel = "N", description = "Worker threads. Default: the number of cores.")
    Integer threads;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        if (csv && json) {
            throw new UserError("--csv and --json: choose one");
        }
        if (plot != null && !plot.toString().toLowerCase(Locale.ROOT).endsWith(".svg")) {
            throw new UserError("--plot: only SVG is written (name the file .svg); " + plot + " is not");
        }
        if (shardsRate != null && !(shardsRate > 0 && shardsRate <= 1)) {
            throw new UserError("--shards: the rate must be in (0, 1], got " + shardsRate);
        }
        if (shardsBlocks != null && shardsBlocks < 1) {
            throw new UserError("--shards-size must be at least 1, got " + shardsBlocks);
        }
        int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (nThreads < 1) {
            throw new UserError("--threads must be at least 1, got " + nThreads);
        }
        ClassVocabulary vocabulary = new ClassVocabulary();
        List<String> names = Experiment.checkPolicies("--policies", Arrays.asList(policies.split(",")), vocabulary)
                .stream().map(Policies::canonical).distinct().toList();
        PolicyConfig config = policyFile.load(vocabulary);
        int blockSize = input.blockSize();
        long distinct = -1;
        if (SweepSizes.relative(cache)) {
            if (!input.rereadable()) {
                throw new UserError("cache sizes as a share of the working set need a trace that can be read twice");
            }
            distinct = distinctBlocks(vocabulary, blockSize);
        }
        long[] sizes = SweepSizes.resolve(cache, points, distinct, blockSize);
        SweepResult result;
        try (TraceReader reader = input.open(vocabulary);
                Progress bar = Progress.start("sweep", reader.bytesTotal(), !noProgress)) {
            result = new SweepRunner(config, blockSize, nThreads).run(reader, input.name(),
                    names, sizes,
                    shardsRate == null ? 0 : shardsRate, shardsBlocks == null ? 0 : shardsBlocks, bar);
        }
        if (csv) {
            SweepReport.csv(result, System.out);
        } else if (json) {
            SweepReport.json(result, System.out);
        } else {
            SweepReport.table(result, System.out, perClass);
        }
        if (plot != null) {
            Files.writeString(plot, SweepPlot.svg(result), StandardCharsets.UTF_8);
            System.err.println("plot written to " + plot);
        }
        if (html != null) {
            Files.writeString(html, HtmlReport.html(result), StandardCharsets.UTF_8);
            System.err.println("report written to " + html);
        }
        System.out.flush();
        return 0;
    }

    private long distinctBlocks(ClassVocabulary vocabulary, int blockSize) throws IOException {
        TouchExpander ex = new TouchExpander(blockSize);
        LongLongMap seen = new LongLongMap(1 << 16, 0);
        BlockRequest r = new BlockRequest();
        try (TraceReader reader = input.open(vocabulary);
                Progress bar = Progress.start("working set", reader.bytesTotal(), !noProgress)) {
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
