package dev.triage.hints.ext4;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.NameTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Labels a raw trace (ftrace text or blkparse text, plain or gzip) with {@link Ext4Labeller}:
 * a first pass collects the map_blocks events, a second labels each issued request in order
 * and hands it to a {@link Sink}, with {@code tsNs} made relative to the first request (and never
 * decreasing).
 */
public final class RawTraceAnnotator {
    /** Receives each labelled request (the instance is reused). */
    @FunctionalInterface
    public interface Sink {
        void accept(BlockRequest r) throws IOException;
    }

    private final NameTable processes = new NameTable();
    private long requests;
    private long mapEvents;
    private long otherDevice;

    /** Process names of the requests' {@code comm}. */
    public NameTable processes() {
        return processes;
    }

    public long requests() {
        return requests;
    }

    public long mapEvents() {
        return mapEvents;
    }

    /** Events skipped because they were for another device. */
    public long otherDevice() {
        return otherDevice;
    }

    /**
     * Labels {@code trace}.
     *
     * @param device only events of this device (major << 20 | minor), or -1 for the device of the
     *     first request
     * @throws Ext4FormatException naming {@code file:line} for a line that does not parse
     */
    public void annotate(Path trace, Ext4Labeller labeller, int device, Sink sink) throws IOException {
        RawTraceLine p = new RawTraceLine();
        BlockRequest r = new BlockRequest();
        int dev = device;
        try (BufferedReader in = open(trace)) {
            long line = 0;
            for (String s; (s = in.readLine()) != null; ) {
                line++;
                RawTraceLine.Kind k = parse(p, s, r, trace, line);
                if (dev == -1 && k == RawTraceLine.Kind.ISSUE) {
                    dev = p.dev;
                }
                if (k == RawTraceLine.Kind.MAP && (dev == -1 || p.dev == dev)) {
                    labeller.premap(p.ino, p.lblk, p.pblk, p.len);
                }
            }
        }
        long base = -1;
        long last = 0;
        try (BufferedReader in = open(trace)) {
            long line = 0;
            for (String s; (s = in.readLine()) != null; ) {
                line++;
                RawTraceLine.Kind k = parse(p, s, r, trace, line);
                if (k == RawTraceLine.Kind.OTHER) {
                    continue;
                }
                if (p.dev != dev) {
                    otherDevice++;
                    continue;
                }
                if (k == RawTraceLine.Kind.MAP) {
                    mapEvents++;
                    labeller.mapped(p.ino, p.lblk, p.pblk, p.len);
                    continue;
                }
                if (base < 0) {
                    base = r.tsNs;
                }
                // Never decreasing (the format's rule), even if the tracer's CPUs disagreed a little.
                r.tsNs = Math.max(last, r.tsNs - base);
                last = r.tsNs;
                labeller.label(r);
                requests++;
                sink.accept(r);
            }
        }
    }

    private RawTraceLine.Kind parse(RawTraceLine p, String s, BlockRequest r, Path trace, long line)
            throws Ext4FormatException {
        try {
            return p.parse(s, r, processes);
        } catch (IllegalArgumentException e) {
            throw new Ext4FormatException(trace + ":" + line + ": " + e.getMessage());
        }
    }

    static BufferedReader open(Path trace) throws IOException {
        InputStream in = Files.newInputStream(trace);
        try {
            in = new java.io.BufferedInputStream(in, 1 << 16);
            in.mark(2);
            int a = in.read();
            int b = in.read();
            in.reset();
            if (a == 0x1f && b == 0x8b) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }
}
