package dev.triage.hints.trace;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.NameTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The common part of the text trace readers: lines, line numbers, skipping malformed lines,
 * the name tables and progress. A format supplies {@link #parse}, which fills a request from one
 * line or says the line holds none (a comment, another event).
 *
 * <p>Besides malformed lines (an error, or skipped with {@link TraceOptions#skipBad()}), a reader
 * may <em>ignore</em> well-formed events that are not block requests Triage can replay (for
 * example RWBS {@code N} requests, which carry no data and no address): those are counted in
 * {@link #ignored()} and reported once in the log when the reader is closed.
 */
abstract class LineTraceReader implements TraceReader {
    /** How many messages of skipped lines are kept. */
    static final int MAX_SAMPLES = 10;

    private static final Logger LOG = LoggerFactory.getLogger(LineTraceReader.class);

    final LineSource lines;
    final String source;
    final TraceOptions options;
    final NameTable processes = new NameTable();
    final NameTable volumes = new NameTable();
    private final Progress progress;
    private final List<String> samples = new ArrayList<>();
    private long skipped;
    private long ignored;
    private String firstIgnored;

    // The disk last turned into a volume id (most traces have one), and a reusable name builder.
    private long lastDevice = Long.MIN_VALUE;
    private int lastDeviceVolume;
    private final StringBuilder nameBuilder = new StringBuilder();

    LineTraceReader(LineSource lines, String source, TraceOptions options, Progress progress) {
        this.lines = lines;
        this.source = source;
        this.options = options;
        this.progress = progress;
    }

    /**
     * Reads the line {@code b[from, to)}.
     *
     * @return true when {@code r} now holds a request; false when the line holds none
     * @throws BadLine when the line is malformed (the message says what is wrong, without the place)
     */
    abstract boolean parse(BlockRequest r, byte[] b, int from, int to) throws BadLine;

    @Override
    public final boolean next(BlockRequest r) throws IOException {
        while (lines.next()) {
            try {
                if (parse(r, lines.buf, lines.start, lines.end)) {
                    return true;
                }
            } catch (BadLine bad) {
                if (!options.skipBad()) {
                    throw new TraceFormatException(source, lines.lineNumber, bad.getMessage());
                }
                skipped++;
                if (samples.size() < MAX_SAMPLES) {
                    samples.add(source + ":" + lines.lineNumber + ": " + bad.getMessage());
                }
            }
        }
        return false;
    }

    /** Counts a well-formed event that is not replayable; {@code why} is kept for the first one. */
    final void ignore(String why) {
        if (ignored++ == 0) {
            firstIgnored = source + ":" + lines.lineNumber + ": " + why;
        }
    }

    /** How many well-formed events were ignored as not replayable (see the class comment). */
    public final long ignored() {
        return ignored;
    }

    /** The id in {@link #processes} of the name {@code b[from, to)}, decoding UTF-8 when needed. */
    final int internProcess(int from, int to) {
        return intern(processes, from, to);
    }

    final int intern(NameTable table, int from, int to) {
        ByteChars chars = lines.chars;
        if (chars.isAscii(from, to)) {
            return table.intern(chars, from, to);
        }
        return table.intern(chars.text(from, to));
    }

    /** The volume id of a Linux disk {@code major:minor}; allocates only on a disk's first sight. */
    final int deviceVolume(int major, int minor) {
        long key = (long) major << 32 | (minor & 0xffffffffL);
        if (key != lastDevice) {
            nameBuilder.setLength(0);
            nameBuilder.append(major).append(':').append(minor);
            lastDeviceVolume = volumes.intern(nameBuilder);
            lastDevice = key;
        }
        return lastDeviceVolume;
    }

    /** The text of a field for a message, shortened when long. */
    final String text(int from, int to) {
        if (to - from > 60) {
            return lines.chars.text(from, from + 57) + "...";
        }
        return lines.chars.text(from, to);
    }

    /**
     * Parses a device filter of {@code major,minor} or {@code major:minor} into {@code major << 32 |
     * minor}; -1 when there is no filter.
     */
    static long deviceFilter(TraceOptions options) {
        String d = options.device();
        if (d == null) {
            return -1;
        }
        String[] parts = d.trim().split("[,:]");
        if (parts.length == 2) {
            try {
                int major = Integer.parseInt(parts[0].trim());
                int minor = Integer.parseInt(parts[1].trim());
                if (major >= 0 && minor >= 0) {
                    return (long) major << 32 | minor;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException(
                "device filter '" + d + "' is not major,minor (for example 8,16 or 8:16)");
    }

    @Override
    public final String source() {
        return source;
    }

    @Override
    public final long lineNumber() {
        return lines.lineNumber;
    }

    @Override
    public final long skipped() {
        return skipped;
    }

    @Override
    public final List<String> skippedSamples() {
        return Collections.unmodifiableList(samples);
    }

    @Override
    public final NameTable processes() {
        return processes;
    }

    @Override
    public final NameTable volumes() {
        return volumes;
    }

    @Override
    public final long bytesRead() {
        return progress.bytesRead();
    }

    @Override
    public final long bytesTotal() {
        return progress.bytesTotal();
    }

    @Override
    public void close() throws IOException {
        if (ignored > 0) {
            LOG.info("{}: ignored {} events that are not replayable block requests; the first: {}",
                    source, ignored, firstIgnored);
        }
        lines.close();
    }
}
