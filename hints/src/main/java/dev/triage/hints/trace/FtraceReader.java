package dev.triage.hints.trace;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.IoPrio;
import dev.triage.hints.Op;
import dev.triage.hints.Rwbs;
import java.nio.charset.StandardCharsets;

/**
 * Reads Linux ftrace text output ({@code /sys/kernel/tracing/trace}, {@code trace_pipe}, {@code
 * trace-cmd report}) and takes its {@code block_rq_issue} events:
 *
 * <pre>
 *   tar-15112 [000] .....  584.609422: block_rq_issue: 7,1 RM 4096 () 69896 + 8 be,0,4 [tar]
 * </pre>
 *
 * that is {@code major,minor RWBS bytes (cmd) sector + sectors ioprio [comm]}, where {@code
 * ioprio} is {@code class,hint,level} (kernel 6.5 and later; {@link BlockRequest#ioprio} is
 * packed as class, level, hint). Older kernels print no ioprio ({@code ... sector + sectors
 * [comm]}); the bytes field may be absent; a {@code |n|} field before the comm is skipped.
 *
 * <p>Other events, comment lines ({@code #}) and other lines are ignored. Times are the ftrace
 * timestamps ({@code seconds.micros}) relative to the first request read, in nanoseconds.
 * Requests carry no class hint ({@link BlockRequest#tag} -1; the classifier works from the RWBS
 * {@code M} flag). The op follows {@link BlockEvents}: {@code N} requests are ignored and counted.
 * With a device filter only that disk is read and volumes are -1; without one each request's
 * volume is its disk, named {@code major:minor}.
 */
public final class FtraceReader extends LineTraceReader {
    private static final byte[] EVENT = " block_rq_issue: ".getBytes(StandardCharsets.US_ASCII);

    private final long deviceFilter;
    private long firstTs = -1;

    FtraceReader(LineSource lines, String source, TraceOptions options, Progress progress) {
        super(lines, source, options, progress);
        this.deviceFilter = deviceFilter(options);
    }

    @Override
    public TraceFormat format() {
        return TraceFormat.FTRACE;
    }

    @Override
    boolean parse(BlockRequest r, byte[] b, int from, int to) throws BadLine {
        int first = Ascii.skipSpaces(b, from, to);
        if (first == to || b[first] == '#') {
            return false;
        }
        int event = Ascii.find(b, first, to, EVENT);
        if (event < 0) {
            return false;
        }
        // The timestamp is the token just before the event name, ending with ':'.
        int tsEnd = event - 1;
        if (tsEnd < first || b[tsEnd] != ':') {
            throw new BadLine("no timestamp before 'block_rq_issue:'");
        }
        int tsStart = tsEnd;
        while (tsStart > first && !Ascii.isSpace(b[tsStart - 1])) {
            tsStart--;
        }
        long ts = Ascii.secondsToNanos(b, tsStart, tsEnd);
        if (ts < 0) {
            throw new BadLine("timestamp '" + text(tsStart, tsEnd) + "' is not seconds.micros");
        }

        int i = Ascii.skipSpaces(b, event + EVENT.length, to);
        int e = Ascii.tokenEnd(b, i, to);
        int comma = Ascii.indexOf(b, i, e, (byte) ',');
        long major = comma < 0 ? -1 : Ascii.digits(b, i, comma);
        long minor = comma < 0 ? -1 : Ascii.digits(b, comma + 1, e);
        if (major < 0 || minor < 0 || major > Integer.MAX_VALUE || minor > Integer.MAX_VALUE) {
            throw new BadLine("device '" + text(i, e) + "' is not major,minor");
        }
        if (deviceFilter >= 0 && deviceFilter != (major << 32 | minor)) {
            return false;
        }

        i = Ascii.skipSpaces(b, e, to);
        e = Ascii.tokenEnd(b, i, to);
        int rwbs = Rwbs.parse(lines.chars, i, e);
        if (i == e || rwbs < 0) {
            throw new BadLine("RWBS '" + text(i, e) + "' is not an RWBS string");
        }

        // Optional byte count, then the command in parentheses (may hold spaces).
        i = Ascii.skipSpaces(b, e, to);
        if (i < to && b[i] != '(') {
            e = Ascii.tokenEnd(b, i, to);
            if (Ascii.digits(b, i, e) < 0) {
                throw new BadLine("bytes '" + text(i, e) + "' is not a number");
            }
            i = Ascii.skipSpaces(b, e, to);
        }
        if (i >= to || b[i] != '(') {
            throw new BadLine("expected '(' (the command field) after the RWBS and bytes");
        }
        int close = Ascii.indexOf(b, i, to, (byte) ')');
        if (close < 0) {
            throw new BadLine("the command field '(' is not closed by ')'");
        }

        i = Ascii.skipSpaces(b, close + 1, to);
        e = Ascii.tokenEnd(b, i, to);
        long sector = Ascii.digits(b, i, e);
        if (sector < 0) {
            throw new BadLine("sector '" + text(i, e) + "' is not a number");
        }
        i = Ascii.skipSpaces(b, e, to);
        e = Ascii.tokenEnd(b, i, to);
        if (e - i != 1 || b[i] != '+') {
            throw new BadLine("expected '+' after the sector, found '" + text(i, e) + "'");
        }
        i = Ascii.skipSpaces(b, e, to);
        e = Ascii.tokenEnd(b, i, to);
        long sectors = Ascii.digits(b, i, e);
        if (sectors < 0) {
            throw new BadLine("sector count '" + text(i, e) + "' is not a number");
        }

        int ioprio = BlockRequest.UNKNOWN;
        for (;;) {
            i = Ascii.skipSpaces(b, e, to);
            if (i >= to) {
                throw new BadLine("no [comm] at the end of the event");
            }
            if (b[i] == '[') {
                break;
            }
            e = Ascii.tokenEnd(b, i, to);
            if (b[i] != '|') {
                ioprio = ioprio(b, i, e);
            }
        }
        int commEnd = Ascii.lastIndexOf(b, i, to, (byte) ']');
        if (commEnd < 0) {
            throw new BadLine("the process name '[' is not closed by ']'");
        }

        Op op = BlockEvents.op(rwbs, sectors);
        if (op == null) {
            ignore("RWBS '" + text(Ascii.skipSpaces(b, event + EVENT.length, to), to)
                    + "' is a request without data or address");
            return false;
        }
        r.clear();
        BlockEvents.address(r, op, sector, sectors);
        if (firstTs < 0) {
            firstTs = ts;
        }
        r.tsNs = ts - firstTs;
        r.flags = rwbs;
        r.ioprio = ioprio;
        r.comm = commEnd == i + 1 ? BlockRequest.UNKNOWN : internProcess(i + 1, commEnd);
        r.volume = deviceFilter >= 0 ? BlockRequest.UNKNOWN : deviceVolume((int) major, (int) minor);
        return true;
    }

    /** The kernel's {@code class,hint,level}; class by name, {@code invalid}, a number or hex. */
    private int ioprio(byte[] b, int s, int e) throws BadLine {
        int c1 = Ascii.indexOf(b, s, e, (byte) ',');
        int c2 = c1 < 0 ? -1 : Ascii.indexOf(b, c1 + 1, e, (byte) ',');
        if (c2 >= 0) {
            int cls = IoPrio.classOf(lines.chars, s, c1);
            if (cls < 0) {
                if (Ascii.equals(b, s, c1, "invalid")) {
                    cls = 7;
                } else if (c1 - s > 2 && b[s] == '0' && b[s + 1] == 'x') {
                    cls = hex(b, s + 2, c1);
                } else {
                    long num = Ascii.digits(b, s, c1);
                    cls = num >= 0 && num <= 255 ? (int) num : -1;
                }
            }
            long hint = Ascii.digits(b, c1 + 1, c2);
            long level = Ascii.digits(b, c2 + 1, e);
            if (cls >= 0 && level >= 0 && level <= 255 && hint >= 0 && hint <= 255) {
                return IoPrio.pack(cls, (int) level, (int) hint);
            }
        }
        throw new BadLine("ioprio '" + text(s, e) + "' is not class,hint,level");
    }

    private static int hex(byte[] b, int s, int e) {
        int v = 0;
        for (int i = s; i < e; i++) {
            int d = Character.digit(b[i], 16);
            if (d < 0 || v > 255) {
                return -1;
            }
            v = v * 16 + d;
        }
        return v <= 255 ? v : -1;
    }
}
