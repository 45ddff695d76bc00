package dev.triage.tools.replay;

import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.policy.PolicyConfig;
import dev.triage.hints.policy.PolicyFile;
import java.io.IOException;
import picocli.CommandLine.Option;

/** The --policy-file option: a TOML file, or the name of a shipped one. */
public final class PolicyFileInput {
    @Option(names = {"-p", "--policy-file"}, paramLabel = "FILE|NAME", defaultValue = PolicyFile.DEFAULT,
            description = "Class policies: a TOML file (see docs/policy-file.md) or a shipped one (dss, uniform). "
                    + "Default: ${DEFAULT-VALUE}.")
    String policyFile;

    public PolicyConfig load(ClassVocabulary vocabulary) throws IOException {
        return PolicyFile.loadPathOrBuiltin(policyFile, vocabulary);
    }
}
