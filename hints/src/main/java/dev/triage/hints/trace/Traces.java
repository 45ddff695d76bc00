package dev.triage.hints.trace;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens block traces. The compression (gzip, zstd or none) is told by the magic bytes, the format
 * by the content unless {@link TraceOptions#format()} names it ({@link FormatDetector} says what
 * it tried when it cannot tell). Readers stream: only a buffer of the trace is in memory.
 *
 * <pre>{@code
 * try (TraceReader in = Traces.open(Path.of("postmark.csv.gz"), TraceOptions.defaults(vocabulary))) {
 *     BlockRequest r = new BlockRequest();
 *     while (in.next(r)) { ... }
 * }
 * }</pre>
 */
public final class Traces {
    /** The path that means standard input. */
    public static final String STDIN = "-";

    private Traces() {}

    /**
     * Opens a trace file, or standard input when the path is {@code -}. {@link
     * TraceReader#bytesTotal()} is the file's size (compressed, when it is), and {@link
     * TraceReader#bytesRead()} counts the file's bytes consumed.
     *
     * @throws TraceFormatException when the format cannot be told or the start of the trace is
     *     malformed (a hinted CSV header)
     */
    public static TraceReader open(Path path, TraceOptions options) throws IOException {
        if (path.toString().equals(STDIN)) {
            return open(new FilterInputStream(System.in) {
                @Override
                public void close() {
                    // standard input stays open
                }
            }, "<stdin>", -1, options);
        }
        long size = Files.size(path);
        InputStream raw = Files.newInputStream(path);
        try {
            return open(raw, path.toString(), size, options);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /**
     * Opens a trace from a stream (a resource, a pipe); {@code sourceName} names it in messages.
     * The stream is closed with the reader. The total size is unknown (-1).
     */
    public static TraceReader open(InputStream in, String sourceName, TraceOptions options) throws IOException {
        return open(in, sourceName, -1, options);
    }

    private static TraceReader open(InputStream raw, String source, long total, TraceOptions options)
            throws IOException {
        CountingInputStream counted = new CountingInputStream(raw);
        Progress progress = new Progress(counted, total);
        BufferedInputStream compressed = new BufferedInputStream(counted, 1 << 16);
        InputStream data = Compression.detect(compressed).decompress(compressed);
        BufferedInputStream buffered = new BufferedInputStream(data, FormatDetector.SAMPLE);
        TraceFormat format = options.format();
        if (format == null) {
            buffered.mark(FormatDetector.SAMPLE);
            byte[] sample = new byte[FormatDetector.SAMPLE];
            int n = 0;
            boolean complete = false;
            while (n < sample.length) {
                int r = buffered.read(sample, n, sample.length - n);
                if (r < 0) {
                    complete = true;
                    break;
                }
                n += r;
            }
            buffered.reset();
            format = FormatDetector.detect(source, sample, n, complete);
        }
        return switch (format) {
            case HINTED_CSV -> new HintedCsvReader(new LineSource(buffered, source), source, options, progress);
            case FTRACE -> new FtraceReader(new LineSource(buffered, source), source, options, progress);
            case BLKPARSE -> new BlkparseReader(new LineSource(buffered, source), source, options, progress);
            case MSR -> new MsrReader(new LineSource(buffered, source), source, options, progress);
            case LIRS -> new LirsReader(new LineSource(buffered, source), source, options, progress);
            case CLOUDPHYSICS -> new CloudPhysicsReader(buffered, source, options, progress);
        };
    }
}
