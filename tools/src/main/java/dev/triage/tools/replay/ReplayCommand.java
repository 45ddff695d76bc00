package dev.triage.tools.replay;

import dev.triage.cache.replay.Simulation;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.policy.PolicyConfig;
import dev.triage.tools.report.Results;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code triage replay}: one policy at one or more cache sizes, with per-class hit ratios. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replay a trace through one cache policy and report its hit ratio overall and per I/O class.",
                "Without --trace, the bundled trace is used."},
        footer = {"", "Examples:",
                "  triage replay --policy dss --cache 64MiB",
                "  triage replay --trace msr_src1.csv.gz --format msr --policy arc --cache 1GiB --json"})
public final class ReplayCommand implements Callable<Integer> {
    @Mixin
    TraceInput input;

    @Mixin
    PolicyFileInput policyFile;

    @Mixin
    OutputOptions output;

    @Option(names = {"-P", "--policy"}, paramLabel = "NAME", defaultValue = "dss",
            description = "The cache policy (see `triage policies`). Default: ${DEFAULT-VALUE}.")
    String policy;

    @Option(names = {"-c", "--cache"}, paramLabel = "SIZE", defaultValue = "64MiB",
            description = "Cache size(s), comma-separated: bytes (64MiB) or shares of the distinct blocks (10%%). "
                    + "Default: ${DEFAULT-VALUE}.")
    String cache;

    @Override
    public Integer call() throws Exception {
        ClassVocabulary vocabulary = new ClassVocabulary();
        List<String> names = Experiment.checkPolicies("--policy", List.of(policy), vocabulary);
        List<CacheSize> sizes = CacheSize.parseList("--cache", cache);
        PolicyConfig config = policyFile.load(vocabulary);
        Experiment.Outcome o = new Experiment(input, config, output.progress()).run(names, sizes, output.threads());
        Results results = Results.of(input.name(), config.source(), input.blockSize(), o.totals(), o.distinctBlocks(),
                o.seconds(), o.simulations(), vocabulary);
        output.print(results, System.out, true);
        if (!output.csv && !output.json) {
            for (Simulation s : o.simulations()) {
                double sec = s.elapsedNanos() / 1e9;
                System.out.printf(Locale.ROOT, "%nspeed        %s at %d B: %,.0f touches/s in the policy%n", s.policyName(),
                        s.cacheBytes(), sec > 0 ? s.stats().totalTouches() / sec : 0.0);
            }
        }
        Skipped.report(o);
        return 0;
    }
}
