package dev.triage.bench;

import dev.triage.cache.collect.LongLongMap;
import dev.triage.cache.replay.TouchExpander;
import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.Op;
import dev.triage.hints.trace.TraceFormat;
import dev.triage.hints.trace.TraceOptions;
import dev.triage.hints.trace.TraceReader;
import dev.triage.hints.trace.Traces;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * For {@code bench/replay-speed.sh}: writes a trace's touches as a LIRS trace (one block number
 * per line: a unit-size trace any simulator reads), or prints a cache capacity in blocks
 * ({@code --capacity 10%|BYTES|blocks:N}). Discards cannot be written (LIRS has only touches):
 * a trace with discards is refused.
 */
public final class LirsExport {
    private LirsExport() {}

    public static void main(String[] args) throws IOException {
        Path trace = null;
        Path out = null;
        String format = null;
        String capacity = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--trace" -> trace = Path.of(args[++i]);
                case "--format" -> format = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                case "--capacity" -> capacity = args[++i];
                default -> {
                    System.err.println("LirsExport: unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        TraceFormat f = format == null ? null : TraceFormat.ofCliName(format);
        TraceOptions options = TraceOptions.defaults(new ClassVocabulary()).withFormat(f);
        TouchExpander ex = new TouchExpander(options.blockSize());
        LongLongMap seen = capacity != null && capacity.endsWith("%") ? new LongLongMap(1 << 16, 0) : null;
        if (capacity != null && seen == null) {
            System.out.println(capacity.startsWith("blocks:") ? Long.parseLong(capacity.substring(7))
                    : Long.parseLong(capacity) / options.blockSize());
            return;
        }
        BlockRequest r = new BlockRequest();
        byte[] line = new byte[24];
        try (TraceReader reader = Traces.open(trace, options);
                OutputStream o = out == null ? OutputStream.nullOutputStream()
                        : new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
            while (reader.next(r)) {
                if (r.op == Op.DISCARD) {
                    throw new IOException(trace + ":" + reader.lineNumber() + ": a discard; LIRS traces have none");
                }
                if (r.op != Op.READ && r.op != Op.WRITE) {
                    continue;
                }
                long first = ex.firstBlock(r) & ((1L << TouchExpander.BLOCK_BITS) - 1);
                long n = ex.blockCount(r);
                for (long i = 0; i < n; i++) {
                    long b = first + i;
                    if (seen != null) {
                        seen.put(b, 1);
                    } else {
                        o.write(line, 0, format(b, line));
                    }
                }
            }
        }
        if (seen != null) {
            double share = Double.parseDouble(capacity.substring(0, capacity.length() - 1)) / 100;
            System.out.println(Math.max(1, (long) Math.floor(seen.size() * share)));
        }
    }

    private static int format(long v, byte[] buf) {
        String s = Long.toString(v);
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, buf, 0, b.length);
        buf[b.length] = '\n';
        return b.length + 1;
    }
}
