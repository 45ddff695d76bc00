package dev.triage.tools.replay;

import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.policy.PolicyConfig;
import dev.triage.tools.report.Results;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code triage compare}: several policies × several cache sizes over one trace. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Replay a trace through several cache policies at several cache sizes and compare their hit "
                + "ratios, overall and per I/O class.",
                "Without --trace, the bundled trace and the default policy file are used."},
        footer = {"", "Examples:",
                "  triage compare",
                "  triage compare --trace postmark.csv.gz --policies lru,fifo,opt,dss --cache 16MiB,64MiB --csv",
                "  triage compare --trace t.csv.gz --cache 1%%,5%%,10%%,25%% --policy-file my.toml"})
public final class CompareCommand implements Callable<Integer> {
    /** The policies compared when --policies is not given. */
    public static final String DEFAULT_POLICIES = "lru,fifo,clock,arc,2q,s3fifo,sieve,wtinylfu,dss,ucp,adaptive,opt";

    @Mixin
    TraceInput input;

    @Mixin
    PolicyFileInput policyFile;

    @Mixin
    OutputOptions output;

    @Option(names = {"-P", "--policies"}, paramLabel = "LIST", defaultValue = DEFAULT_POLICIES,
            description = "Comma-separated policies. Default: ${DEFAULT-VALUE}.")
    String policies;

    @Option(names = {"-c", "--cache"}, paramLabel = "SIZES", defaultValue = "16MiB,64MiB",
            description = "Comma-separated cache sizes: bytes (16MiB) or shares of the trace's distinct blocks (5%%). "
                    + "Default: ${DEFAULT-VALUE}.")
    String cache;

    @Option(names = "--no-per-class", description = "Only the overall table (readable output).")
    boolean noPerClass;

    @Override
    public Integer call() throws Exception {
        ClassVocabulary vocabulary = new ClassVocabulary();
        List<String> names = Experiment.checkPolicies("--policies", Arrays.asList(policies.split(",")), vocabulary);
        List<CacheSize> sizes = CacheSize.parseList("--cache", cache);
        PolicyConfig config = policyFile.load(vocabulary);
        Experiment.Outcome o = new Experiment(input, config, output.progress()).run(names, sizes, output.threads());
        Results results = Results.of(input.name(), config.source(), input.blockSize(), o.totals(), o.distinctBlocks(),
                o.seconds(), o.simulations(), vocabulary);
        output.print(results, System.out, !noPerClass);
        Skipped.report(o);
        return 0;
    }
}
