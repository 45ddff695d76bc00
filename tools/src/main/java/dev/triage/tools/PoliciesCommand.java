package dev.triage.tools;

import dev.triage.cache.policy.Policies;
import dev.triage.hints.policy.PolicyFile;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code triage policies}: the cache policies and the shipped policy files. */
@Command(name = "policies", mixinStandardHelpOptions = true,
        description = "List the cache policies and the shipped policy files.")
public final class PoliciesCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("cache policies:       " + String.join(" ", Policies.names()));
        System.out.println("shipped policy files: " + String.join(" ", PolicyFile.builtins()));
        return 0;
    }
}
