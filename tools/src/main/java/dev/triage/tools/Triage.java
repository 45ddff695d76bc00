package dev.triage.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code triage} command line. */
@Command(name = "triage", mixinStandardHelpOptions = true, version = "triage 0.1.0",
        description = "A hint-aware caching block layer: replay hinted traces, compare cache policies, serve volumes.",
        subcommands = {CommandLine.HelpCommand.class, dev.triage.tools.serve.ServeCommand.class})
public final class Triage implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Triage()).execute(args));
    }
}
