package dev.triage.hints.trace;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.NameTable;
import java.io.Closeable;
import java.io.IOException;

/**
 * A streaming reader of a block trace. It fills one reusable {@link BlockRequest} per call and
 * never holds the whole trace in memory.
 *
 * <p>A malformed line throws {@link TraceFormatException} naming {@code file:line}, unless the
 * reader was opened with {@link TraceOptions#skipBad()}, in which case the line is counted in
 * {@link #skipped()} and reading goes on.
 */
public interface TraceReader extends Closeable {

    /**
     * Reads the next request into {@code r}.
     *
     * @return false at the end of the trace
     * @throws TraceFormatException on a malformed line (when bad lines are not skipped)
     */
    boolean next(BlockRequest r) throws IOException;

    /** The format being read. */
    TraceFormat format();

    /** The name of the source (a file name) for messages. */
    String source();

    /** The number of the line last read, from 1. */
    long lineNumber();

    /** How many malformed lines were skipped. */
    long skipped();

    /** The first few skipped lines' messages ({@code file:line: what}), for a report. */
    java.util.List<String> skippedSamples();

    /** Process names of {@link BlockRequest#comm}. */
    NameTable processes();

    /** Volume names of {@link BlockRequest#volume}. */
    NameTable volumes();

    /** Bytes of the (possibly compressed) source consumed so far, for progress; -1 if unknown. */
    long bytesRead();

    /** Total size of the source in bytes, for progress; -1 if unknown. */
    long bytesTotal();
}
