package dev.triage.tools.replay;

import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.trace.TraceFormat;
import dev.triage.hints.trace.TraceOptions;
import dev.triage.hints.trace.TraceReader;
import dev.triage.hints.trace.Traces;
import dev.triage.tools.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options that name a trace and how to read it; shared by replay, compare and friends. */
public final class TraceInput {
    /** The trace bundled in the jar, used when no --trace is given. */
    public static final String EMBEDDED = "devtree.csv.gz";
    private static final String EMBEDDED_RESOURCE = "/dev/triage/traces/" + EMBEDDED;

    @Option(names = {"-t", "--trace"}, paramLabel = "FILE",
            description = "The trace (plain, .gz or .zst; '-' for stdin). Default: the bundled ${sys:triage.embedded} "
                    + "(ext4 devtree workload, hinted CSV v1).")
    Path trace;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "Trace format: csv (hinted CSV v1), ftrace, blkparse, msr, lirs, cloudphysics. Default: detected.")
    String format;

    @Option(names = "--skip-bad", description = "Count and skip malformed lines instead of stopping at the first.")
    boolean skipBad;

    @Option(names = {"-b", "--block-size"}, paramLabel = "BYTES", defaultValue = "4096",
            description = "Cache block size in bytes (a power of two >= 512). Default: ${DEFAULT-VALUE}.")
    int blockSize;

    static {
        System.setProperty("triage.embedded", EMBEDDED);
    }

    /** A name for the trace in reports. */
    public String name() {
        return trace == null ? "builtin:" + EMBEDDED : trace.toString();
    }

    public int blockSize() {
        if (Integer.bitCount(blockSize) != 1 || blockSize < 512) {
            throw new UserError("--block-size must be a power of two >= 512, got " + blockSize);
        }
        return blockSize;
    }

    /** Opens the trace (again: each call starts from the beginning). */
    public TraceReader open(ClassVocabulary vocabulary) throws IOException {
        TraceFormat f = null;
        if (format != null) {
            f = TraceFormat.ofCliName(format);
            if (f == null) {
                throw new UserError("--format: unknown format '" + format
                        + "' (known: csv, ftrace, blkparse, msr, lirs, cloudphysics)");
            }
        }
        TraceOptions options = TraceOptions.defaults(vocabulary).withFormat(f).withSkipBad(skipBad)
                .withBlockSize(blockSize());
        if (trace == null) {
            InputStream in = TraceInput.class.getResourceAsStream(EMBEDDED_RESOURCE);
            if (in == null) {
                throw new UserError("the bundled trace is missing from the jar (" + EMBEDDED_RESOURCE + ")");
            }
            return Traces.open(in, name(), options);
        }
        if (!trace.toString().equals("-") && !Files.isRegularFile(trace)) {
            throw new UserError(trace + ": no such trace file");
        }
        return Traces.open(trace, options);
    }

    /** The --trace path, or null for the bundled trace. */
    public Path tracePath() {
        return trace;
    }

    /** Sets the trace (a command's positional parameter). */
    public void setTracePath(Path path) {
        this.trace = path;
    }

    /** True when the trace can be read twice (not stdin). */
    public boolean rereadable() {
        return trace == null || !trace.toString().equals("-");
    }
}
