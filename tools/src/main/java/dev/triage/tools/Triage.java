package dev.triage.tools;

import dev.triage.hints.policy.PolicyFileException;
import dev.triage.hints.trace.TraceFormatException;
import dev.triage.tools.capture.AnnotateCommand;
import dev.triage.tools.capture.CaptureCommand;
import dev.triage.tools.pool.CheckCommand;
import dev.triage.tools.pool.PoolCommand;
import dev.triage.tools.pool.VolumeCommand;
import dev.triage.tools.replay.CompareCommand;
import dev.triage.tools.replay.ReplayCommand;
import dev.triage.tools.serve.ServeCommand;
import dev.triage.tools.gen.GenCommand;
import dev.triage.tools.stat.StatCommand;
import dev.triage.tools.sweep.SweepCommand;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code triage} command line. */
@Command(name = "triage", mixinStandardHelpOptions = true, version = "triage 0.1.0",
        description = "A hint-aware caching block layer: replay hinted block traces, compare cache policies per I/O class.",
        subcommands = {CompareCommand.class, ReplayCommand.class, SweepCommand.class, StatCommand.class,
                GenCommand.class, PoliciesCommand.class, ServeCommand.class, CaptureCommand.class,
                AnnotateCommand.class, PoolCommand.class, VolumeCommand.class,
                CheckCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Start with: triage compare    (the bundled trace, the default policy file)"})
public final class Triage implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The command line, with errors turned into one clear line each. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Triage());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("triage: " + messageOf(e));
            if (System.getenv("TRIAGE_DEBUG") != null) {
                e.printStackTrace(cmd.getErr());
            }
            return exitCodeOf(e);
        });
        return cl;
    }

    static String messageOf(Throwable e) {
        if (e instanceof UserError || e instanceof TraceFormatException || e instanceof PolicyFileException) {
            return e.getMessage();
        }
        if (e instanceof NoSuchFileException n) {
            String m = n.getMessage();
            return m != null && m.contains(":") ? m : n.getFile() + ": no such file";
        }
        if (e instanceof AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        if (e instanceof IOException io) {
            return io.getMessage() == null ? io.toString() : io.getMessage();
        }
        if (e instanceof IllegalArgumentException ia) {
            return ia.getMessage();
        }
        return "internal error: " + e + " (set TRIAGE_DEBUG=1 for the stack trace, and please report it)";
    }

    static int exitCodeOf(Throwable e) {
        if (e instanceof UserError || e instanceof PolicyFileException || e instanceof IllegalArgumentException) {
            return 2;
        }
        if (e instanceof IOException) {
            return 1;
        }
        return 70;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
